"""The filing workflow in the page: confirm, number check, reasons, bulk submit, conflicts."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from filings.models import FilingStatus, FilingStatusChange, RejectionReason
from tests.factories import FilingFactory, MiniProgramFactory, OperatorFactory, make_ready

pytestmark = pytest.mark.django_db
S = FilingStatus


def step(c, filing, to, data=None):
    return c.post(reverse("dashboard:filing_transition", args=[filing.pk, to]), data or {})


def test_detail_offers_only_allowed_steps(client_for, editor, register):
    filing = register["filing"]
    body = (
        client_for(editor)
        .get(reverse("dashboard:filing_detail", args=[filing.pk]))
        .content.decode()
    )
    assert 'data-testid="action-provider_review"' in body
    assert 'data-testid="action-withdrawn"' in body
    assert 'data-testid="action-approved"' not in body
    assert 'data-testid="action-authority_review"' not in body


def test_draft_to_approved_with_number_checked(client_for, editor, register):
    filing = make_ready(register["filing"])
    c = client_for(editor)
    # GET is a confirmation step and changes nothing.
    confirm = c.get(reverse("dashboard:filing_transition", args=[filing.pk, S.PROVIDER_REVIEW]))
    assert confirm.status_code == 200
    assert 'id="confirm-transition"' in confirm.content.decode()
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
    for to in (S.PROVIDER_REVIEW, S.SMS_VERIFICATION, S.AUTHORITY_REVIEW):
        response = step(c, filing, to, {"note": f"to {to}"})
        assert response.status_code == 302
        filing.refresh_from_db()
        assert filing.status == to
    # A website number for a mini-program: refused inline, nothing changes.
    response = step(c, filing, S.APPROVED, {"icp_number": "粤ICP备2024286477号-1"})
    assert response.status_code == 200
    errors = response.context["form"].errors["icp_number"]
    assert errors
    assert "mini-program" in errors[0]
    response = step(c, filing, S.APPROVED, {"icp_number": "garbage"})
    assert response.context["form"].errors["icp_number"]
    filing.refresh_from_db()
    assert filing.status == S.AUTHORITY_REVIEW
    response = step(c, filing, S.APPROVED, {"icp_number": "粤ICP备2024286477号-1X", "note": "ok"})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert (filing.status, filing.icp_number) == (S.APPROVED, "粤ICP备2024286477号-1X")
    register["miniprogram"].refresh_from_db()
    assert register["miniprogram"].icp_number == "粤ICP备2024286477号-1X"
    history = list(
        FilingStatusChange.objects.filter(filing=filing).values_list("to_status", flat=True)
    )
    assert history == [S.PROVIDER_REVIEW, S.SMS_VERIFICATION, S.AUTHORITY_REVIEW, S.APPROVED]
    body = c.get(reverse("dashboard:filing_detail", args=[filing.pk])).content.decode()
    assert body.count('data-testid="timeline-entry"') == 4
    assert editor.username in body
    assert 'data-testid="action-' not in body  # approved is terminal


def test_reject_asks_for_reasons_and_shows_them(client_for, editor, register):
    filing = make_ready(register["filing"])
    c = client_for(editor)
    step(c, filing, S.PROVIDER_REVIEW)
    mgmt = {"reasons-TOTAL_FORMS": "3", "reasons-INITIAL_FORMS": "0",
            "reasons-MIN_NUM_FORMS": "1", "reasons-MAX_NUM_FORMS": "1000"}  # fmt: skip
    response = step(c, filing, S.PROVIDER_REJECTED, mgmt)
    assert response.status_code == 200
    assert response.context["formset"].errors[0]  # the first reason is required
    filing.refresh_from_db()
    assert filing.status == S.PROVIDER_REVIEW
    data = {
        **mgmt,
        "reasons-0-field": "operator_name",
        "reasons-0-error": "与营业执照不一致",
        "reasons-0-suggestion": "按营业执照填写全称",
        "reasons-1-field": "mobile",
        "reasons-1-error": "号码为外省号码",
        "note": "初审驳回",
    }
    response = step(c, filing, S.PROVIDER_REJECTED, data)
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == S.PROVIDER_REJECTED
    reasons = list(RejectionReason.objects.values_list("field", "error", "suggestion"))
    assert reasons == [
        ("operator_name", "与营业执照不一致", "按营业执照填写全称"),
        ("mobile", "号码为外省号码", ""),
    ]
    body = c.get(reverse("dashboard:filing_detail", args=[filing.pk])).content.decode()
    assert 'data-testid="rejection-reasons"' in body
    assert "按营业执照填写全称" in body
    assert "初审驳回" in body


def test_step_no_longer_allowed_is_a_message_not_a_change(client_for, editor, register):
    filing = register["filing"]
    c = client_for(editor)
    response = step(c, filing, S.APPROVED, {"icp_number": "粤ICP备2024286477号-1X"})
    assert response.status_code == 302
    msgs = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("no longer possible" in m for m in msgs)
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
    assert FilingStatusChange.objects.count() == 0


def test_conflict_is_shown_as_a_message(client_for, editor, operator):
    mp1 = MiniProgramFactory(operator=operator)
    mp2 = MiniProgramFactory(operator=operator)
    FilingFactory(miniprogram=mp1, status=S.PROVIDER_REVIEW)
    second = make_ready(FilingFactory(miniprogram=mp2))
    c = client_for(editor)
    response = step(c, second, S.PROVIDER_REVIEW)
    assert response.status_code == 302
    msgs = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("主办者冲突" in m for m in msgs)
    second.refresh_from_db()
    assert second.status == S.DRAFT
    assert FilingStatusChange.objects.filter(filing=second).count() == 0


def test_get_transition_is_safe_and_post_only_changes(client_for, editor, register):
    filing = register["filing"]
    c = client_for(editor)
    c.get(reverse("dashboard:filing_transition", args=[filing.pk, S.WITHDRAWN]))
    filing.refresh_from_db()
    assert filing.status == S.DRAFT


def test_bulk_submit_asks_to_confirm_then_submits(client_for, editor, org):
    ops = [OperatorFactory(organization=org) for _ in range(3)]
    drafts = [make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=op))) for op in ops]
    c = client_for(editor)
    url = reverse("dashboard:filing_bulk")
    ids = [f.pk for f in drafts[:2]]
    response = c.post(url, {"filing": ids})
    assert response.status_code == 200
    assert 'id="bulk-confirm"' in response.content.decode()
    assert FilingStatusChange.objects.count() == 0
    response = c.post(url, {"filing": ids, "confirm": "yes"})
    assert response.status_code == 302
    for d in drafts:
        d.refresh_from_db()
    statuses = {d.pk: d.status for d in drafts}
    assert statuses == {drafts[0].pk: S.PROVIDER_REVIEW, drafts[1].pk: S.PROVIDER_REVIEW,
                        drafts[2].pk: S.DRAFT}  # fmt: skip


def test_bulk_submit_reports_conflicts_per_application(client_for, editor, operator):
    a = make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=operator)))
    b = make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=operator)))
    c = client_for(editor)
    response = c.post(reverse("dashboard:filing_bulk"), {"filing": [a.pk, b.pk], "confirm": "yes"})
    msgs = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("1 application" in m for m in msgs)
    assert any(f"#{b.pk} was not submitted" in m for m in msgs)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (S.PROVIDER_REVIEW, S.DRAFT)


def test_bulk_ignores_other_tenants_filings(client_for, editor, register, other_register):
    c = client_for(editor)
    other = other_register["filing"]
    c.post(reverse("dashboard:filing_bulk"), {"filing": [other.pk], "confirm": "yes"})
    other.refresh_from_db()
    assert other.status == S.DRAFT
