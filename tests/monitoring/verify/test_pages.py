"""The verifications section on service pages, the upload form, evidence, lookups, CSV."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEntry
from compliance.models import ComplianceItem
from compliance.rules import RuleCode as R
from compliance.selectors import item_list_for_user
from monitoring.models.verify import ServiceVerification, VerificationKind
from tests.factories import DomainFactory, make_staff

from .factories import PNG_BYTES, ServiceVerificationFactory

pytestmark = pytest.mark.django_db


def upload_url(service, kind="miniprogram"):
    return reverse("monitoring:verification_upload", args=[kind, service.pk])


def about_item(user, app) -> ComplianceItem:
    return item_list_for_user(user=user).get(
        rule=R.ABOUT_SCREEN_CHECK, subject_type="miniprogram", subject_id=app.pk
    )


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_section_on_the_app_page_shows_what_is_due_and_the_form(client_for, editor, app):
    page = client_for(editor).get(reverse("dashboard:miniprogram_detail", args=[app.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="service-verifications"' in html
    assert 'data-rule="about_screen_check"' in html
    assert 'data-rule="miit_record_check"' in html
    assert "粤ICP备2024000001号-1A" in html
    assert 'data-testid="verify-form"' in html
    form = html.split('data-testid="verify-form"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken" value="' in form
    assert 'data-testid="verify-lookup"' not in html  # manual backend: no automatic lookup


def test_viewer_sees_the_history_but_no_form(client_for, viewer, app):
    ServiceVerificationFactory(miniprogram=app, note="关于页截图")
    html = client_for(viewer).get(reverse("dashboard:miniprogram_detail", args=[app.pk]))
    html = html.content.decode()
    assert "关于页截图" in html
    assert 'data-testid="verify-form"' not in html


def test_domain_page_has_the_section_with_the_query(client_for, editor, operator):
    domain = DomainFactory(operator=operator, name="shop.example.cn", icp_number="粤ICP备1号-1")
    html = client_for(editor).get(reverse("dashboard:domain_detail", args=[domain.pk]))
    html = html.content.decode()
    assert 'data-testid="verify-query">shop.example.cn<' in html
    assert 'value="about_screen"' not in html  # websites have no About screen


def test_upload_closes_the_item(client_for, editor, app, png, settings):
    assert about_item(editor, app).status in ("due_soon", "overdue")
    today = timezone.localdate()
    response = client_for(editor).post(
        upload_url(app),
        {
            "kind": VerificationKind.ABOUT_SCREEN,
            "verified_on": today.isoformat(),
            "screenshot": png("IMG_张三_身份证.png"),
            "note": "v2.3 关于页",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{app.pk}/#service-verifications")
    row = ServiceVerification.objects.get()
    assert (row.miniprogram_id, row.kind, row.verified_on) == (app.pk, "about_screen", today)
    assert row.number == "粤ICP备2024000001号-1A"
    assert row.created_by == editor
    assert row.organization_id == app.organization_id
    assert "张三" not in row.screenshot.name  # stored under a random name
    assert row.screenshot.read() == PNG_BYTES
    item = about_item(editor, app)
    assert item.status == "compliant"
    assert item.due_date == today + datetime.timedelta(days=180)
    assert len(stored_files(settings)) == 1


TOMORROW = "2999-01-01"


@pytest.mark.parametrize(
    ("name", "content", "date", "field"),
    [
        ("about.exe", PNG_BYTES, None, "screenshot"),
        ("about.png", b"<html>not an image</html>", None, "screenshot"),
        ("about.png", b"", None, "screenshot"),
        ("about.png", PNG_BYTES, TOMORROW, "verified_on"),
    ],
    ids=["wrong_type_case", "fake_png_case", "empty_case", "future_date_case"],
)
def test_bad_uploads_are_400_and_change_nothing(
    client_for, editor, app, png, settings, name, content, date, field
):
    before = about_item(editor, app).status
    response = client_for(editor).post(
        upload_url(app),
        {
            "kind": VerificationKind.ABOUT_SCREEN,
            "verified_on": date or timezone.localdate().isoformat(),
            "screenshot": png(name, content),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert ServiceVerification.objects.count() == 0
    assert stored_files(settings) == []
    assert about_item(editor, app).status == before


def test_too_large_upload_is_400(client_for, editor, app, png, monkeypatch, settings):
    monkeypatch.setattr("monitoring.verify.services.MAX_UPLOAD_BYTES", 16)
    response = client_for(editor).post(
        upload_url(app),
        {
            "kind": VerificationKind.ABOUT_SCREEN,
            "verified_on": timezone.localdate().isoformat(),
            "screenshot": png(),
        },
    )
    assert response.status_code == 400
    assert ServiceVerification.objects.count() == 0
    assert stored_files(settings) == []


def test_about_screen_of_a_website_is_refused(client_for, editor, operator, png):
    domain = DomainFactory(operator=operator, icp_number="粤ICP备2024000001号-1")
    response = client_for(editor).post(
        upload_url(domain, "domain"),
        {
            "kind": VerificationKind.ABOUT_SCREEN,
            "verified_on": timezone.localdate().isoformat(),
            "screenshot": png(),
        },
    )
    assert response.status_code == 400
    assert ServiceVerification.objects.count() == 0


def test_viewer_upload_is_403_and_changes_nothing(client_for, viewer, app, png, settings):
    response = client_for(viewer).post(
        upload_url(app),
        {
            "kind": VerificationKind.ABOUT_SCREEN,
            "verified_on": timezone.localdate().isoformat(),
            "screenshot": png(),
        },
    )
    assert response.status_code == 403
    assert ServiceVerification.objects.count() == 0
    assert stored_files(settings) == []


@pytest.fixture
def outsider(other_org):
    """Staff with every permission, a manager elsewhere: no membership here."""
    return make_staff(other_org, Role.MANAGER)


@pytest.mark.parametrize("who", ["other_manager", "outsider"], ids=["member_case", "staff_case"])
def test_other_organizations_service_is_404(client_for, request, app, png, who, settings):
    user = request.getfixturevalue(who)
    c = client_for(user)
    assert c.get(upload_url(app)).status_code == 404
    response = c.post(
        upload_url(app),
        {"kind": "about_screen", "verified_on": "2026-01-10", "screenshot": png()},
    )
    assert response.status_code == 404
    lookup = reverse("monitoring:verification_lookup", args=["miniprogram", app.pk])
    assert c.post(lookup).status_code == 404
    assert ServiceVerification.objects.count() == 0
    assert stored_files(settings) == []


def test_unknown_service_type_is_404(client_for, editor, app):
    url = reverse("monitoring:verification_upload", args=["operator", app.operator_id])
    assert client_for(editor).get(url).status_code == 404


def test_evidence_is_viewable_and_downloadable_as_an_access_event(client_for, viewer, app):
    row = ServiceVerificationFactory(miniprogram=app)
    url = reverse("monitoring:verification_evidence", args=[row.pk])
    c = client_for(viewer)
    download = c.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG_BYTES
    assert download["Content-Disposition"].startswith("attachment")
    inline = c.get(url + "?view=1")
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["Content-Type"] == "image/png"
    events = AuditEntry.objects.filter(access="document_downloaded", object_pk=str(row.pk))
    assert events.count() == 2
    assert {e.organization_id for e in events} == {app.organization_id}


def test_other_organizations_evidence_is_404_and_not_recorded(client_for, other_manager, app):
    row = ServiceVerificationFactory(miniprogram=app)
    url = reverse("monitoring:verification_evidence", args=[row.pk])
    assert client_for(other_manager).get(url).status_code == 404
    assert not AuditEntry.objects.filter(access="document_downloaded").exists()


def test_csv_export_is_scoped_and_recorded(client_for, editor, app, other_app):
    ServiceVerificationFactory(miniprogram=app, note="ours")
    ServiceVerificationFactory(miniprogram=other_app, note="theirs")
    response = client_for(editor).get(reverse("monitoring:verification_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert "ours" in lines[1]
    assert "粤ICP备2024000001号-1A" in lines[1]
    assert "theirs" not in text
    assert AuditEntry.objects.filter(access="exported").count() == 1


def test_csv_export_keeps_formulas_as_text(client_for, editor, app):
    ServiceVerificationFactory(miniprogram=app, note="=HYPERLINK(1)")
    response = client_for(editor).get(reverse("monitoring:verification_export"))
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_lookup_with_the_manual_backend_queues_nothing(client_for, editor, app, monkeypatch):
    queued: list = []
    monkeypatch.setattr("monitoring.verify.services.enqueue_on_commit", lambda *a: queued.append(a))
    url = reverse("monitoring:verification_lookup", args=["miniprogram", app.pk])
    response = client_for(editor).post(url, follow=True)
    assert response.status_code == 200
    assert queued == []
    assert "manual" in response.content.decode()


def test_lookup_with_the_http_backend_is_queued(client_for, editor, app, monkeypatch, settings):
    settings.MIIT_LOOKUP_BACKEND = "http"
    queued: list = []
    monkeypatch.setattr("monitoring.verify.services.enqueue_on_commit", lambda *a: queued.append(a))
    url = reverse("monitoring:verification_lookup", args=["miniprogram", app.pk])
    assert client_for(editor).post(url).status_code == 302
    assert queued == [("monitoring.miit_lookup", "miniprogram", app.pk, editor.pk)]


def test_viewer_cannot_queue_a_lookup(client_for, viewer, app, monkeypatch, settings):
    settings.MIIT_LOOKUP_BACKEND = "http"
    queued: list = []
    monkeypatch.setattr("monitoring.verify.services.enqueue_on_commit", lambda *a: queued.append(a))
    url = reverse("monitoring:verification_lookup", args=["miniprogram", app.pk])
    assert client_for(viewer).post(url).status_code == 403
    assert queued == []
