"""Journey: an incomplete application cannot be submitted until the missing material is
uploaded through the documents pages; then it can. In English and in Chinese."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Membership
from filings.models import FilingApplication, FilingStatus, FilingStatusChange
from filings.readiness import filing_readiness
from miniprograms.models import PersonRole
from tests.factories import DocumentFactory, PersonFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

S = FilingStatus


def _one_document_short() -> FilingApplication:
    """seed_demo's 天府票务 draft with everything in place but its commitment letter, and
    assigned to agency_staff (an editor, who cannot override the check)."""
    filing = FilingApplication.objects.get(miniprogram__name="天府票务", status=S.DRAFT)
    PersonFactory(operator=filing.operator, role=PersonRole.SERVICE, miniprogram=filing.miniprogram)
    for gap in filing_readiness(filing):
        if gap.code == "material" and gap.doc_type != "commitment_letter":
            DocumentFactory(
                operator=filing.operator,
                doc_type=gap.doc_type,
                name=gap.doc_type,
                miniprogram_id=gap.service_id if gap.service_kind == "miniprogram" else None,
            )
    assert [(g.code, g.doc_type) for g in filing_readiness(filing)] == [
        ("material", "commitment_letter")
    ]
    staff = Membership.objects.get(user__username="agency_staff", organization=filing.organization)
    staff.operators.add(filing.operator)
    return filing


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_submit_waits_for_the_missing_material(
    page: Page, live_server, demo, login, shot, tmp_path, language
):
    filing = _one_document_short()
    detail = live_server.url + reverse("dashboard:filing_detail", args=[filing.pk])
    login("agency_staff")
    if language != "en":
        page.locator("#language-select").select_option(language)
        page.locator("#language-switcher [type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)

    page.goto(detail)
    gaps = page.get_by_test_id("readiness-gap")
    expect(gaps).to_have_count(1)
    expect(gaps.first).to_have_attribute("data-doc-type", "commitment_letter")
    expect(gaps.first).to_contain_text("天府票务")
    shot(f"readiness-missing-{language}")

    # The step is offered but refused: the confirmation is disabled, and a forced submit of
    # the form is turned down by the service.
    page.get_by_test_id("action-provider_review").click()
    expect(page.get_by_test_id("readiness-blocked")).to_be_visible()
    confirm = page.get_by_test_id("confirm-transition")
    expect(confirm).to_be_disabled()
    page.locator("#transition-form").evaluate("form => form.submit()")
    expect(page.locator("#form-errors")).to_be_visible()
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
    assert not FilingStatusChange.objects.filter(filing=filing).exists()

    # Fix it through the documents page the gap links to; it comes back to the application.
    page.get_by_test_id("readiness-gap").get_by_test_id("fix-link").click()
    expect(page.locator('[name="doc_type"]')).to_have_value("commitment_letter")
    expect(page.locator('[name="miniprogram"]')).to_have_value(str(filing.miniprogram_id))
    letter = tmp_path / "承诺书.pdf"
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.locator('[name="file"]').set_input_files(str(letter))
    page.locator("#upload-button").click()

    expect(page).to_have_url(detail)
    expect(page.get_by_test_id("readiness-ok")).to_be_visible()
    expect(page.get_by_test_id("readiness-gap")).to_have_count(0)
    page.get_by_test_id("action-provider_review").click()
    page.get_by_test_id("confirm-transition").click()
    expect(page.get_by_test_id("filing-status")).to_have_attribute("data-status", S.PROVIDER_REVIEW)
    shot(f"readiness-submitted-{language}")
    filing.refresh_from_db()
    assert filing.status == S.PROVIDER_REVIEW
    change = FilingStatusChange.objects.get(filing=filing)
    assert change.override_reason == ""


def test_rejection_reason_rows_added_removed_and_shown_as_a_checklist(
    page: Page, live_server, demo, login, shot
):
    filing = FilingApplication.objects.get(miniprogram__name="鹏程会员", status=S.AUTHORITY_REVIEW)
    login("agency_manager")
    page.goto(live_server.url + reverse("dashboard:filing_detail", args=[filing.pk]))
    page.get_by_test_id("action-authority_rejected").click()

    rows = page.get_by_test_id("reason-row")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("remove-reason")).to_be_hidden()  # one is required
    page.get_by_test_id("add-reason").click()
    page.get_by_test_id("add-reason").click()
    expect(rows).to_have_count(3)
    rows.nth(1).locator("select").select_option("uscc")
    rows.nth(1).get_by_test_id("remove-reason").click()  # the middle one goes
    expect(rows).to_have_count(2)
    expect(page.locator('[name="reasons-TOTAL_FORMS"]')).to_have_value("2")

    page.locator('[name="reasons-0-field"]').select_option("id_card_back")
    page.locator('[name="reasons-0-error"]').fill("身份证国徽面模糊")
    page.locator('[name="reasons-1-field"]').select_option("other")
    page.locator('[name="reasons-1-field_text"]').fill("网站备注")
    page.locator('[name="reasons-1-error"]').fill("备注过长")
    shot("rejection-reason-rows")
    page.get_by_test_id("confirm-transition").click()

    expect(page.get_by_test_id("filing-status")).to_have_attribute(
        "data-status", S.AUTHORITY_REJECTED
    )
    items = page.get_by_test_id("rejection-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("ID card, back")
    expect(items.nth(0)).to_contain_text("身份证国徽面模糊")
    expect(items.nth(1)).to_contain_text("网站备注")
    expect(items.nth(0).get_by_test_id("rejection-fix")).to_have_attribute(
        "href", re.compile(r"doc_type=service_person_id")
    )
    shot("rejection-checklist")
    change = FilingStatusChange.objects.get(filing=filing, to_status=S.AUTHORITY_REJECTED)
    assert list(change.reasons.values_list("field", "field_text")) == [
        ("id_card_back", ""),
        ("other", "网站备注"),
    ]
