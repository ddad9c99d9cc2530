"""/api/v1/monitoring/verifications/, lookups/ and services/<type>/<id>/lookup/."""

from __future__ import annotations

import pytest
from django.utils import timezone

from compliance.rules import RuleCode as R
from compliance.selectors import item_list_for_user
from monitoring.models.verify import LookupStatus, ServiceVerification

from .factories import PNG_BYTES, MiitLookupFactory, ServiceVerificationFactory

pytestmark = pytest.mark.django_db

VERIFICATIONS = "/api/v1/monitoring/verifications/"
LOOKUPS = "/api/v1/monitoring/lookups/"


def lookup_url(kind, pk):
    return f"/api/v1/monitoring/services/{kind}/{pk}/lookup/"


def payload(app, png, **over):
    data = {
        "service_type": "miniprogram",
        "service_id": app.pk,
        "kind": "about_screen",
        "verified_on": timezone.localdate().isoformat(),
        "screenshot": png(),
        "note": "截图",
    }
    data.update(over)
    return data


def test_list_is_scoped_to_the_users_organization(api, viewer, app, other_app):
    ours = ServiceVerificationFactory(miniprogram=app)
    ServiceVerificationFactory(miniprogram=other_app)
    body = api(viewer).get(VERIFICATIONS).json()
    assert [r["id"] for r in body["results"]] == [ours.pk]
    assert body["results"][0]["service_type"] == "miniprogram"
    assert body["results"][0]["evidence_url"].endswith(f"/verifications/{ours.pk}/evidence/")


def test_list_filters_by_service(api, viewer, app, operator):
    from tests.factories import MiniProgramFactory

    other = MiniProgramFactory(operator=operator, icp_number="粤ICP备2024000001号-2A")
    ServiceVerificationFactory(miniprogram=other)
    mine = ServiceVerificationFactory(miniprogram=app)
    body = api(viewer).get(VERIFICATIONS, {"service_type": "miniprogram", "service_id": app.pk})
    assert [r["id"] for r in body.json()["results"]] == [mine.pk]
    assert api(viewer).get(VERIFICATIONS, {"service_type": "x", "service_id": 1}).status_code == 400
    assert api(viewer).get(VERIFICATIONS, {"kind": "nope"}).status_code == 400


def test_post_records_a_verification_and_closes_the_item(api, editor, app, png):
    response = api(editor).post(VERIFICATIONS, payload(app, png), format="multipart")
    assert response.status_code == 201, response.json()
    row = ServiceVerification.objects.get()
    assert response.json()["id"] == row.pk
    assert row.screenshot.read() == PNG_BYTES
    item = item_list_for_user(user=editor).get(
        rule=R.ABOUT_SCREEN_CHECK, subject_type="miniprogram", subject_id=app.pk
    )
    assert item.status == "compliant"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"verified_on": "03/12/2026"}, "verified_on"),
        ({"verified_on": "2999-01-01"}, "verified_on"),
        ({"kind": "selfie"}, "kind"),
        ({"service_type": "operator"}, "service_type"),
        ({"service_id": "abc"}, "service_id"),
        ({"screenshot": ""}, "screenshot"),
        ({"note": "x" * 2001}, "note"),
    ],
    ids=[
        "bad_date_case",
        "future_date_case",
        "bad_kind_case",
        "bad_type_case",
        "bad_id_case",
        "no_file_case",
        "long_note_case",
    ],
)
def test_bad_input_is_400_and_changes_nothing(api, editor, app, png, over, field):
    response = api(editor).post(VERIFICATIONS, payload(app, png, **over), format="multipart")
    assert response.status_code == 400
    assert field in response.json()
    assert ServiceVerification.objects.count() == 0


def test_fake_image_is_400(api, editor, app, png):
    data = payload(app, png, screenshot=png("about.png", b"MZ\x90\x00 not a png"))
    response = api(editor).post(VERIFICATIONS, data, format="multipart")
    assert response.status_code == 400
    assert "screenshot" in response.json()
    assert ServiceVerification.objects.count() == 0


def test_other_organizations_service_is_404(api, other_manager, app, png):
    response = api(other_manager).post(VERIFICATIONS, payload(app, png), format="multipart")
    assert response.status_code == 404
    assert ServiceVerification.objects.count() == 0


def test_viewer_post_is_403(api, viewer, app, png):
    response = api(viewer).post(VERIFICATIONS, payload(app, png), format="multipart")
    assert response.status_code == 403
    assert ServiceVerification.objects.count() == 0


def test_lookups_are_scoped_and_filtered(api, viewer, app, other_app):
    ours = MiitLookupFactory(miniprogram=app, status=LookupStatus.NOT_FOUND, number="")
    MiitLookupFactory(miniprogram=other_app)
    body = api(viewer).get(LOOKUPS).json()
    assert [r["id"] for r in body["results"]] == [ours.pk]
    assert api(viewer).get(LOOKUPS, {"status": "found"}).json()["results"] == []
    assert api(viewer).get(LOOKUPS, {"status": "maybe"}).status_code == 400


def test_lookup_request_with_the_manual_backend_is_409(api, editor, app, monkeypatch):
    queued: list = []
    monkeypatch.setattr("monitoring.verify.services.enqueue_on_commit", lambda *a: queued.append(a))
    response = api(editor).post(lookup_url("miniprogram", app.pk))
    assert response.status_code == 409
    assert queued == []


def test_lookup_request_with_the_http_backend_is_queued(api, editor, app, monkeypatch, settings):
    settings.MIIT_LOOKUP_BACKEND = "http"
    queued: list = []
    monkeypatch.setattr("monitoring.verify.services.enqueue_on_commit", lambda *a: queued.append(a))
    response = api(editor).post(lookup_url("miniprogram", app.pk))
    assert response.status_code == 202
    assert queued == [("monitoring.miit_lookup", "miniprogram", app.pk, editor.pk)]
    # asked again at once: refused, nothing more queued (the rate limit is shared)
    again = api(editor).post(lookup_url("miniprogram", app.pk))
    assert again.status_code == 409
    assert len(queued) == 1


@pytest.mark.parametrize(
    "path",
    [("miniprogram", "other"), ("operator", "own"), ("miniprogram", "missing")],
    ids=["other_org_case", "bad_type_case", "missing_case"],
)
def test_lookup_request_for_no_service_of_yours_is_404(
    api, editor, app, other_app, monkeypatch, settings, path
):
    settings.MIIT_LOOKUP_BACKEND = "http"
    queued: list = []
    monkeypatch.setattr("monitoring.verify.services.enqueue_on_commit", lambda *a: queued.append(a))
    kind, which = path
    pk = {"other": other_app.pk, "own": app.pk, "missing": 999999}[which]
    assert api(editor).post(lookup_url(kind, pk)).status_code == 404
    assert queued == []
