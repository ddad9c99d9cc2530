"""The application page: readiness gaps with their fixes, the latest rejection as a checklist,
the steps after approval, and the reason rows of the rejection form."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from filings.models import FilingStatus, FilingStatusChange, RejectionReason
from filings.services import filing_transition
from miniprograms.models import Lifecycle
from tests.factories import (
    DomainFactory,
    FilingFactory,
    FilingStatusChangeFactory,
    MiniProgramFactory,
    RejectionReasonFactory,
    make_ready,
)

S = FilingStatus


def _detail(c, filing) -> str:
    response = c.get(reverse("dashboard:filing_detail", args=[filing.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _step_url(filing, to):
    return reverse("dashboard:filing_transition", args=[filing.pk, to])


def test_draft_lists_each_gap_with_the_form_that_fixes_it(client_for, editor, register):
    filing = register["filing"]
    body = _detail(client_for(editor), filing)
    assert 'data-testid="readiness"' in body
    assert body.count('data-testid="readiness-gap"') == 6
    upload = reverse("documents:upload", args=[register["operator"].pk])
    assert f"{upload}?doc_type=commitment_letter&amp;filing={filing.pk}&amp;miniprogram=" in body
    person = reverse("dashboard:person_create", args=[register["operator"].pk])
    assert f"{person}?role=service&amp;miniprogram={register['miniprogram'].pk}" in body


def test_a_ready_draft_says_so(client_for, editor, register):
    body = _detail(client_for(editor), make_ready(register["filing"]))
    assert 'data-testid="readiness-ok"' in body
    assert 'data-testid="readiness-gap"' not in body


def test_editor_sees_the_block_and_a_forced_post_changes_nothing(client_for, editor, register):
    filing = register["filing"]
    c = client_for(editor)
    page = c.get(_step_url(filing, S.PROVIDER_REVIEW)).content.decode()
    assert 'data-testid="readiness-blocked"' in page
    assert 'name="readiness_override"' not in page
    response = c.post(_step_url(filing, S.PROVIDER_REVIEW), {"note": "x"})
    assert response.status_code == 200
    assert "not ready" in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
    assert not FilingStatusChange.objects.filter(filing=filing).exists()


def test_editor_cannot_sneak_an_override_in(client_for, editor, register):
    filing = register["filing"]
    c = client_for(editor)
    c.post(_step_url(filing, S.PROVIDER_REVIEW), {"readiness_override": "急"})
    filing.refresh_from_db()
    assert filing.status == S.DRAFT


def test_manager_override_is_recorded_and_shown_in_the_timeline(client_for, manager, register):
    filing = register["filing"]
    c = client_for(manager)
    page = c.get(_step_url(filing, S.PROVIDER_REVIEW)).content.decode()
    assert 'name="readiness_override"' in page
    blank = c.post(_step_url(filing, S.PROVIDER_REVIEW), {"readiness_override": ""})
    assert blank.status_code == 200
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
    response = c.post(
        _step_url(filing, S.PROVIDER_REVIEW), {"readiness_override": "材料已线下交给接入商"}
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == S.PROVIDER_REVIEW
    change = FilingStatusChange.objects.get(filing=filing)
    assert (change.actor, change.override_reason) == (manager, "材料已线下交给接入商")
    body = _detail(c, filing)
    assert 'data-testid="readiness-override"' in body
    assert "材料已线下交给接入商" in body
    assert "Submitted with 6 things missing" in body


def test_latest_rejection_is_a_checklist_with_labels_and_links(client_for, editor, register):
    filing = register["filing"]
    filing.status = S.PROVIDER_REJECTED
    filing.save()
    old = FilingStatusChangeFactory(
        filing=filing, from_status=S.PROVIDER_REVIEW, to_status=S.PROVIDER_REJECTED
    )
    RejectionReasonFactory(status_change=old, field="uscc", error="旧的理由")
    FilingStatusChange.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )
    latest = FilingStatusChangeFactory(
        filing=filing, from_status=S.PROVIDER_REVIEW, to_status=S.PROVIDER_REJECTED
    )
    RejectionReasonFactory(status_change=latest, field="id_card_back", error="背面模糊")
    RejectionReasonFactory(status_change=latest, field="other", field_text="网站备注", error="太长")
    body = _detail(client_for(editor), filing)
    top = body.split('data-testid="rejection-checklist"')[1].split("</section>")[0]
    assert top.count('data-testid="rejection-item"') == 2
    assert "ID card, back" in top
    assert "背面模糊" in top
    assert "网站备注" in top
    assert "旧的理由" not in top
    assert "doc_type=service_person_id" in top  # the ID copy is fixed by an upload
    assert "id_card_back" not in body.split('data-testid="timeline"')[1].split("<td")[1]


def test_no_checklist_once_resubmitted(client_for, editor, register):
    filing = make_ready(register["filing"])
    filing.status = S.PROVIDER_REJECTED
    filing.save()
    change = FilingStatusChangeFactory(
        filing=filing, from_status=S.PROVIDER_REVIEW, to_status=S.PROVIDER_REJECTED
    )
    RejectionReasonFactory(status_change=change, field="uscc")
    filing_transition(filing_id=filing.pk, to_status=S.PROVIDER_REVIEW, actor=editor)
    assert 'data-testid="rejection-checklist"' not in _detail(client_for(editor), filing)


def test_approved_domain_shows_number_psb_deadline_and_snippet(client_for, editor, operator):
    domain = DomainFactory(operator=operator, live_since=None)
    filing = FilingFactory(
        miniprogram=None, domain=domain, operator=operator, status=S.AUTHORITY_REVIEW
    )
    filing_transition(
        filing_id=filing.pk, to_status=S.APPROVED, actor=editor, icp_number="粤ICP备2024286477号-1"
    )
    body = _detail(client_for(editor), filing)
    panel = body.split('data-testid="after-approval"')[1].split("</section>")[0]
    assert "粤ICP备2024286477号-1" in panel.split('data-testid="approved-number"')[1][:80]
    due = timezone.localdate() + datetime.timedelta(days=30)
    assert f'data-testid="psb-due">{due.isoformat()}<' in panel
    assert "&lt;a href=&quot;https://beian.miit.gov.cn/&quot;" in panel  # shown as text
    assert "粤ICP备2024286477号-1&lt;/a&gt;" in panel
    assert reverse("dashboard:domain_edit", args=[domain.pk]) in panel
    assert "No further steps" not in body


def test_approved_miniprogram_has_no_psb_step_and_asks_to_go_live(client_for, editor, operator):
    mp = MiniProgramFactory(operator=operator, lifecycle=Lifecycle.IN_DEVELOPMENT)
    filing = FilingFactory(miniprogram=mp, status=S.AUTHORITY_REVIEW)
    filing_transition(
        filing_id=filing.pk, to_status=S.APPROVED, actor=editor, icp_number="粤ICP备2024286477号-1X"
    )
    body = _detail(client_for(editor), filing)
    assert 'data-testid="step-psb"' not in body
    assert 'data-testid="step-lifecycle"' in body
    assert "Mark the service as live" in body


def _reject(c, filing, rows: list[dict[str, str]]):
    data = {
        "reasons-TOTAL_FORMS": str(len(rows)),
        "reasons-INITIAL_FORMS": "0",
        "reasons-MIN_NUM_FORMS": "1",
        "reasons-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(rows):
        data.update({f"reasons-{i}-{k}": v for k, v in row.items()})
    return c.post(_step_url(filing, S.PROVIDER_REJECTED), data)


@pytest.fixture
def in_review(register):
    filing = register["filing"]
    filing.status = S.PROVIDER_REVIEW
    filing.save()
    return filing


def test_rejection_form_starts_with_one_row_and_no_star_on_optional_fields(
    client_for, editor, in_review
):
    page = client_for(editor).get(_step_url(in_review, S.PROVIDER_REJECTED)).content.decode()
    rows = page.split("<template data-formset-empty>")[0]
    assert rows.count('data-testid="reason-row"') == 1
    assert 'data-testid="add-reason"' in page
    assert "js/reason_rows.js" in page
    assert '<option value="id_card_back">ID card, back</option>' in page
    for optional in ("suggestion", "field_text"):
        label = page.split(f'for="id_reasons-0-{optional}"')[1].split("</label>")[0]
        assert "*" not in label
    assert "*" in page.split('for="id_reasons-0-error"')[1].split("</label>")[0]


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ([{"field": "", "error": ""}], "This field is required"),
        ([{"field": "nonsense", "error": "x"}], "Select a valid choice"),
        ([{"field": "other", "error": "x"}], "Name the field"),
    ],
)
def test_bad_reasons_are_refused_inline(client_for, editor, in_review, rows, error):
    response = _reject(client_for(editor), in_review, rows)
    assert response.status_code == 200
    assert error in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == S.PROVIDER_REVIEW
    assert not RejectionReason.objects.exists()


def test_added_rows_are_saved_and_an_empty_added_row_is_ignored(client_for, editor, in_review):
    response = _reject(
        client_for(editor),
        in_review,
        [
            {"field": "domain", "error": "持有者不一致"},
            {"field": "other", "field_text": "网站备注", "error": "过长", "suggestion": "精简"},
            {"field": "", "error": ""},
        ],
    )
    assert response.status_code == 302
    assert list(RejectionReason.objects.values_list("field", "field_text", "error")) == [
        ("domain", "", "持有者不一致"),
        ("other", "网站备注", "过长"),
    ]


def test_upload_returns_to_the_application_and_ignores_foreign_next(client_for, editor, register):
    filing = register["filing"]
    c = client_for(editor)
    upload = reverse("documents:upload", args=[register["operator"].pk])
    detail = reverse("dashboard:filing_detail", args=[filing.pk])

    def post(next_url):
        pdf = SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        return c.post(
            upload,
            {"doc_type": "commitment_letter", "miniprogram": register["miniprogram"].pk,
             "file": pdf, "next": next_url},
        )  # fmt: skip

    assert post(detail)["Location"] == detail
    assert post("https://evil.example/")["Location"] == reverse(
        "documents:checklist", args=[register["operator"].pk]
    )
