"""API: a submission that is not ready is a 400 with the list; reasons keep their field key."""

from __future__ import annotations

from django.urls import reverse

from filings.models import FilingStatus, FilingStatusChange, RejectionReason
from tests.factories import FilingFactory, MiniProgramFactory, make_ready

S = FilingStatus


def _post(client, filing, payload):
    return client.post(reverse("filing-transition", args=[filing.pk]), payload, format="json")


def test_not_ready_is_400_with_the_missing_list_and_nothing_changes(api, editor, operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    response = _post(api(editor), filing, {"to": "provider_review"})
    assert response.status_code == 400
    body = response.json()
    assert "not ready" in body["detail"]
    assert {m["code"] for m in body["missing"]} == {"service_person", "material"}
    assert {"code", "field", "message", "doc_type"} <= body["missing"][0].keys()
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
    assert not FilingStatusChange.objects.filter(filing=filing).exists()


def test_editor_override_is_403_and_changes_nothing(api, editor, operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    response = _post(api(editor), filing, {"to": "provider_review", "readiness_override": "急"})
    assert response.status_code == 403
    filing.refresh_from_db()
    assert filing.status == S.DRAFT


def test_manager_override_is_200_and_shown_in_the_history(api, manager, operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    response = _post(
        api(manager), filing, {"to": "provider_review", "readiness_override": "材料已线下提交"}
    )
    assert response.status_code == 200
    entry = response.json()["history"][0]
    assert entry["override_reason"] == "材料已线下提交"
    assert len(entry["overridden_gaps"]) == 6


def test_detail_lists_what_is_missing_while_submission_is_next(api, viewer, operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    url = reverse("filing-detail", args=[filing.pk])
    missing = api(viewer).get(url).json()["missing"]
    assert len(missing) == 6
    make_ready(filing)
    assert api(viewer).get(url).json()["missing"] == []


def test_ready_application_submits(api, editor, operator):
    filing = make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=operator)))
    response = _post(api(editor), filing, {"to": "provider_review"})
    assert response.status_code == 200
    assert response.json()["history"][0]["override_reason"] == ""


def test_reason_field_is_a_known_key_or_other_with_text(api, editor, operator):
    filing = FilingFactory(
        miniprogram=MiniProgramFactory(operator=operator), status=S.PROVIDER_REVIEW
    )
    c = api(editor)
    unknown = _post(
        c, filing, {"to": "provider_rejected", "reasons": [{"field": "id_card", "error": "糊"}]}
    )
    assert unknown.status_code == 400
    assert "reasons" in unknown.json()
    bare_other = _post(
        c, filing, {"to": "provider_rejected", "reasons": [{"field": "other", "error": "糊"}]}
    )
    assert bare_other.status_code == 400
    assert not RejectionReason.objects.exists()
    filing.refresh_from_db()
    assert filing.status == S.PROVIDER_REVIEW

    ok = _post(
        c,
        filing,
        {
            "to": "provider_rejected",
            "reasons": [
                {"field": "id_card_back", "error": "照片模糊", "suggestion": "重拍"},
                {"field": "other", "field_text": "网站备注", "error": "过长"},
            ],
        },
    )
    assert ok.status_code == 200
    reasons = ok.json()["history"][-1]["reasons"]
    assert [(r["field"], r["field_text"]) for r in reasons] == [
        ("id_card_back", ""),
        ("other", "网站备注"),
    ]
    assert reasons[0]["field_label"] == "ID card, back"
    assert reasons[1]["field_label"] == "网站备注"


def test_bad_override_type_is_400_not_500(api, manager, operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    response = _post(api(manager), filing, {"to": "provider_review", "readiness_override": ["x"]})
    assert response.status_code == 400
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
