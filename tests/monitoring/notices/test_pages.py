"""Pages: the record section on the service page, recording and resolving a notice, the list
with its CSV export, evidence downloads (audited), tenancy (404) and roles (403)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from audit.actions import AccessAction
from audit.models import AuditEntry
from miniprograms.models import Domain, RecordStateChange
from monitoring.models import ProviderNotice

from .factories import ProviderNoticeFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def _notice_post(**extra):
    return {
        "provider": "alibaba",
        "provider_name": "",
        "received_at": "2026-03-10T09:00",
        "deadline_at": "2026-03-11T05:00",
        "fields_to_fix": "网站负责人手机号\n主体地址",
        "note": "",
        **extra,
    }


def test_domain_page_shows_the_record_and_forms_to_editors(client_for, editor, viewer, domain):
    ProviderNoticeFactory(domain=domain)
    url = reverse("dashboard:domain_detail", args=[domain.pk])
    body = client_for(editor).get(url).content.decode()
    assert 'data-testid="service-record"' in body
    assert 'data-testid="record-state"' in body
    assert 'data-testid="open-notices"' in body
    assert 'data-testid="record-notice"' in body
    assert 'data-testid="record-change-form"' in body
    assert 'name="record-to_state"' in body  # the names the record view reads
    read_only = client_for(viewer).get(url).content.decode()
    assert 'data-testid="open-notices"' in read_only
    assert 'data-testid="record-notice"' not in read_only
    assert 'data-testid="record-change-form"' not in read_only


def test_miniprogram_page_shows_the_record(client_for, editor, operator):
    from tests.factories import MiniProgramFactory

    mp = MiniProgramFactory(operator=operator)
    body = client_for(editor).get(reverse("dashboard:miniprogram_detail", args=[mp.pk]))
    assert 'data-testid="service-record"' in body.content.decode()


def test_editor_records_a_notice_from_the_service_page(client_for, editor, domain):
    url = reverse("monitoring:notice_create", args=["domain", domain.pk])
    evidence = SimpleUploadedFile("通知.png", PNG, content_type="image/png")
    response = client_for(editor).post(url, {**_notice_post(), "evidence": evidence})
    notice = ProviderNotice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:notice_detail", args=[notice.pk])
    assert notice.fields_to_fix == ["网站负责人手机号", "主体地址"]
    local = datetime.datetime(2026, 3, 11, 5, 0).astimezone(datetime.UTC)
    assert notice.deadline_at.hour == 21  # 05:00 Beijing is 21:00 UTC the day before
    assert notice.deadline_at.tzinfo is not None
    del local


def test_bad_notice_form_is_400_and_records_nothing(client_for, editor, domain):
    url = reverse("monitoring:notice_create", args=["domain", domain.pk])
    response = client_for(editor).post(url, _notice_post(deadline_at="2026-03-09T09:00"))
    assert response.status_code == 400
    assert "The deadline must come after receipt." in response.content.decode()
    assert not ProviderNotice.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("other_manager", 404)])
def test_notice_form_refused_to_viewers_and_other_tenants(who, status, request, client_for, domain):
    user = request.getfixturevalue(who)
    url = reverse("monitoring:notice_create", args=["domain", domain.pk])
    assert client_for(user).post(url, _notice_post()).status_code == status
    assert not ProviderNotice.objects.exists()


def test_unknown_service_kind_is_404(client_for, editor, domain):
    url = reverse("monitoring:notice_create", args=["website", domain.pk])
    assert client_for(editor).get(url).status_code == 404


def test_notice_detail_is_404_for_another_organization(client_for, other_manager, domain):
    notice = ProviderNoticeFactory(domain=domain)
    url = reverse("monitoring:notice_detail", args=[notice.pk])
    assert client_for(other_manager).get(url).status_code == 404


def test_resolve_from_the_page_needs_the_fix(client_for, editor, domain):
    notice = ProviderNoticeFactory(domain=domain)
    url = reverse("monitoring:notice_resolve", args=[notice.pk])
    refused = client_for(editor).post(url, {"note": "已修改"})
    assert refused.status_code == 400
    notice.refresh_from_db()
    assert notice.state == "open"
    shot = SimpleUploadedFile("shot.png", PNG, content_type="image/png")
    done = client_for(editor).post(url, {"note": "已修改", "evidence": shot})
    assert done.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "fixed"


def test_viewer_cannot_withdraw(client_for, viewer, domain):
    notice = ProviderNoticeFactory(domain=domain)
    url = reverse("monitoring:notice_withdraw", args=[notice.pk])
    assert client_for(viewer).post(url, {"withdraw-note": "x"}).status_code == 403
    notice.refresh_from_db()
    assert notice.state == "open"


def test_keep_access_then_withdraw_from_the_page(client_for, editor, domain):
    notice = ProviderNoticeFactory(domain=domain)
    c = client_for(editor)
    keep = c.post(reverse("monitoring:notice_keep_access", args=[notice.pk]), {"keep-note": "确认"})
    assert keep.status_code == 302
    gone = c.post(
        reverse("monitoring:notice_withdraw", args=[notice.pk]), {"withdraw-note": "撤回"}
    )
    assert gone.status_code == 302
    notice.refresh_from_db()
    assert (notice.access_kept, notice.state) == (True, "withdrawn")


def test_list_filters_and_is_scoped(client_for, manager, domain, other_operator):
    from tests.factories import DomainFactory

    mine = ProviderNoticeFactory(domain=domain)
    ProviderNoticeFactory(domain=domain, state="fixed")
    theirs = ProviderNoticeFactory(domain=DomainFactory(operator=other_operator))
    body = client_for(manager).get(reverse("monitoring:notice_list"), {"state": "open"})
    text = body.content.decode()
    assert reverse("monitoring:notice_detail", args=[mine.pk]) in text
    assert reverse("monitoring:notice_detail", args=[theirs.pk]) not in text
    assert 'data-testid="result-count">1 result<' in text


def test_csv_export_is_scoped_neutralised_and_audited(client_for, manager, domain, other_operator):
    from tests.factories import DomainFactory

    ProviderNoticeFactory(domain=domain, note="=HYPERLINK(1)")
    ProviderNoticeFactory(domain=DomainFactory(operator=other_operator, name="theirs.cn"))
    response = client_for(manager).get(reverse("monitoring:notice_export"))
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "pengcheng.cn" in body
    assert "theirs.cn" not in body
    assert "'=HYPERLINK(1)" in body
    entry = AuditEntry.objects.filter(access=AccessAction.EXPORTED).get()
    assert entry.additional_data["resource"] == "provider_notices"


def test_evidence_download_is_audited_and_scoped(client_for, editor, other_manager, domain):
    notice = ProviderNoticeFactory(
        domain=domain, evidence=SimpleUploadedFile("a.png", PNG), evidence_name="通知.png"
    )
    url = reverse("monitoring:notice_evidence", args=[notice.pk, "notice"])
    assert client_for(other_manager).get(url).status_code == 404
    assert not AuditEntry.objects.filter(access=AccessAction.DOCUMENT_DOWNLOADED).exists()
    response = client_for(editor).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    entry = AuditEntry.objects.get(access=AccessAction.DOCUMENT_DOWNLOADED)
    assert (entry.object_pk, entry.additional_data) == (str(notice.pk), {"evidence": "notice"})
    missing = reverse("monitoring:notice_evidence", args=[notice.pk, "fix"])
    assert client_for(editor).get(missing).status_code == 404


def test_record_change_from_the_service_page(client_for, editor, viewer, domain):
    url = reverse("monitoring:record_change_create", args=["domain", domain.pk])
    data = {
        "record-to_state": "restricted",
        "record-effective_on": "2026-03-10",
        "record-source": "manual",
        "record-note": "管局限制",
    }
    assert client_for(viewer).post(url, data).status_code == 403
    assert not RecordStateChange.objects.exists()
    response = client_for(editor).post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("#service-record")
    assert Domain.objects.get(pk=domain.pk).record_state == "restricted"
    change = RecordStateChange.objects.get()
    assert (change.actor, change.note) == (editor, "管局限制")


def test_notices_summary_tag_counts_the_users_notices(manager, domain, other_operator):
    from tests.factories import DomainFactory

    ProviderNoticeFactory(domain=domain)
    ProviderNoticeFactory(domain=domain, state="access_cancelled")
    ProviderNoticeFactory(domain=DomainFactory(operator=other_operator))
    request = RequestFactory().get("/monitoring/")
    request.user = manager
    request.session = SessionStore()
    html = Template("{% load monitoring_notices %}{% notices_summary %}").render(
        Context({"request": request})
    )
    assert "1 open notice" in html
    assert "1 deadline missed" in html  # the factory's deadline is in the past
    assert "1 service lost access and still needs the fix" in html
