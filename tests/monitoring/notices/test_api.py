"""API: /api/v1/monitoring/notices/ and /record-changes/: scoped reads, role checks through
the services, another tenant's ids read as missing, 4xx (never 5xx) on bad input."""

from __future__ import annotations

import pytest

from miniprograms.models import Domain, RecordStateChange
from monitoring.models import ProviderNotice
from tests.factories import DomainFactory

from .factories import ProviderNoticeFactory

pytestmark = pytest.mark.django_db
NOTICES = "/api/v1/monitoring/notices/"
CHANGES = "/api/v1/monitoring/record-changes/"


def _payload(service, **extra):
    return {
        "domain": service.pk,
        "provider": "huawei",
        "received_at": "2026-03-10T09:00:00+08:00",
        "deadline_at": "2026-03-11T09:00:00+08:00",
        "fields_to_fix": ["网站名称"],
        **extra,
    }


def test_list_is_scoped_and_filters(api, manager, domain, other_operator):
    mine = ProviderNoticeFactory(domain=domain)
    ProviderNoticeFactory(domain=domain, state="fixed")
    ProviderNoticeFactory(domain=DomainFactory(operator=other_operator))
    body = api(manager).get(NOTICES, {"state": "open"}).json()
    assert [n["id"] for n in body["results"]] == [mine.pk]
    assert body["results"][0]["service"] == "pengcheng.cn"


@pytest.mark.parametrize(
    "query",
    [{"state": "lost"}, {"provider": "aws"}, {"operator": "x"}, {"operator": "²"}],
    ids=str,
)
def test_bad_filters_are_400(api, manager, query):
    assert api(manager).get(NOTICES, query).status_code == 400


def test_editor_creates_a_notice(api, editor, domain):
    response = api(editor).post(NOTICES, _payload(domain), format="json")
    assert response.status_code == 201
    notice = ProviderNotice.objects.get()
    assert response.json()["id"] == notice.pk
    assert (notice.provider, notice.fields_to_fix) == ("huawei", ["网站名称"])


@pytest.mark.parametrize(
    ("who", "status"), [("viewer", 403), ("client_user", 403), ("other_manager", 400)]
)
def test_create_refused_and_nothing_written(who, status, request, api, domain):
    response = api(request.getfixturevalue(who)).post(NOTICES, _payload(domain), format="json")
    assert response.status_code == status
    assert not ProviderNotice.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"deadline_at": "2026-03-09T09:00:00+08:00"},
        {"deadline_at": "tomorrow"},
        {"domain": None},
        {"provider": "other"},
        {"fields_to_fix": "not a list"},
    ],
    ids=["before_receipt", "not_a_time", "no_service", "other_unnamed", "fields_not_list"],
)
def test_bad_input_is_400(extra, api, editor, domain):
    response = api(editor).post(NOTICES, {**_payload(domain), **extra}, format="json")
    assert response.status_code == 400
    assert not ProviderNotice.objects.exists()


def test_detail_and_resolve_of_another_tenant_is_404(api, other_manager, domain):
    notice = ProviderNoticeFactory(domain=domain)
    client = api(other_manager)
    assert client.get(f"{NOTICES}{notice.pk}/").status_code == 404
    assert client.post(f"{NOTICES}{notice.pk}/resolve/", {"note": "x"}).status_code == 404
    notice.refresh_from_db()
    assert notice.state == "open"


def test_resolve_needs_the_fix_then_closes_once(api, editor, domain):
    notice = ProviderNoticeFactory(domain=domain)
    client = api(editor)
    refused = client.post(f"{NOTICES}{notice.pk}/resolve/", {"note": "done"}, format="json")
    assert refused.status_code == 400
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 16
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = client.post(
        f"{NOTICES}{notice.pk}/resolve/",
        {"note": "已更新", "evidence": SimpleUploadedFile("s.png", png)},
        format="multipart",
    )
    assert ok.status_code == 200
    assert ok.json()["state"] == "fixed"
    again = client.post(
        f"{NOTICES}{notice.pk}/resolve/",
        {"note": "已更新", "evidence": SimpleUploadedFile("s.png", png)},
        format="multipart",
    )
    assert again.status_code == 409


def test_withdraw_and_keep_access(api, editor, viewer, domain):
    notice = ProviderNoticeFactory(domain=domain)
    assert api(viewer).post(f"{NOTICES}{notice.pk}/keep-access/", {"note": "x"}).status_code == 403
    kept = api(editor).post(f"{NOTICES}{notice.pk}/keep-access/", {"note": "客户经理确认"})
    assert kept.json()["access_kept"] is True
    gone = api(editor).post(f"{NOTICES}{notice.pk}/withdraw/", {"note": "撤回"})
    assert gone.json()["state"] == "withdrawn"


def test_record_change_create_repeat_and_refusal(api, editor, domain):
    client = api(editor)
    body = {"domain": domain.pk, "to_state": "access_cancelled", "source": "lookup"}
    first = client.post(CHANGES, body, format="json")
    assert first.status_code == 201
    assert first.json()["to_state"] == "access_cancelled"
    assert client.post(CHANGES, body, format="json").status_code == 200  # nothing changed
    assert RecordStateChange.objects.count() == 1
    client.post(CHANGES, {**body, "to_state": "cancelled"}, format="json")
    back = client.post(CHANGES, {**body, "to_state": "restricted"}, format="json")
    assert back.status_code == 409
    assert Domain.objects.get(pk=domain.pk).record_state == "cancelled"
    listed = client.get(CHANGES, {"domain": domain.pk}).json()
    assert [c["to_state"] for c in listed["results"]] == ["cancelled", "access_cancelled"]


@pytest.mark.parametrize(
    ("who", "status"), [("viewer", 403), ("other_manager", 400)], ids=["viewer", "other_org"]
)
def test_record_change_refused_and_nothing_written(who, status, request, api, domain):
    body = {"domain": domain.pk, "to_state": "restricted", "source": "manual"}
    response = api(request.getfixturevalue(who)).post(CHANGES, body, format="json")
    assert response.status_code == status
    assert Domain.objects.get(pk=domain.pk).record_state == "filed"
    assert not RecordStateChange.objects.exists()


def test_record_change_source_filing_is_not_accepted(api, editor, domain):
    body = {"domain": domain.pk, "to_state": "restricted", "source": "filing"}
    assert api(editor).post(CHANGES, body, format="json").status_code == 400
