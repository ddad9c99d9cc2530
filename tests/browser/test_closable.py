"""Journeys that close a reminder where it is shown: a renewed ID, a filed licence report."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from compliance.models import ComplianceItem
from compliance.types import OPEN_STATUSES
from documents.models import LicenceAnnualReport
from miniprograms.models import IcpLicence, Operator, ResponsiblePerson
from tests.factories import valid_ric, valid_uscc

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after each test would otherwise drop the seeded
    # reference data (provinces, TLDs) that later tests need.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


def _open_items(page: Page, rule: str):
    """The operator page's rows of `rule` that are due soon or overdue."""
    rows = page.locator(f'#operator-items [data-testid="compliance-item"][data-rule="{rule}"]')
    return rows.filter(has=page.locator(".status-due_soon, .status-overdue"))


def test_renew_a_person_id_from_the_operator_page(page: Page, live_server, demo, login, shot):
    operator = Operator.objects.get(name_zh="杭州西湖数据有限公司")
    person = ResponsiblePerson.objects.get(operator=operator, role="entity")
    number_before = person.id_number_encrypted
    login("agency_manager")
    page.goto(_url(live_server, "dashboard:operator_detail", operator.pk))
    expect(_open_items(page, "person_id_expiry")).to_have_count(1)

    row = page.get_by_test_id("person-row").filter(has_text=person.name)
    row.get_by_test_id("edit-person").click()
    expect(page.locator("h1")).to_contain_text(person.name)
    expect(page.locator('[name="id_number"]')).to_have_value("")  # never shown, masked in help
    expect(page.locator("#field-id_number")).to_contain_text(person.id_number_masked)
    expect(page.locator("#field-email label")).not_to_contain_text("*")  # optional: no star
    expect(page.locator("#field-name label")).to_contain_text("*")
    renewed = timezone.localdate() + datetime.timedelta(days=3650)
    page.locator('[name="id_expires_on"]').fill(renewed.isoformat())
    shot("person-id-renewal")
    page.locator("#save-button").click()

    expect(page).to_have_url(_url(live_server, "dashboard:operator_detail", operator.pk))
    expect(page.get_by_test_id("messages")).to_contain_text(person.name)
    expect(_open_items(page, "person_id_expiry")).to_have_count(0)
    shot("person-id-renewed")
    person.refresh_from_db()
    assert person.id_expires_on == renewed
    assert person.id_number_encrypted == number_before
    assert not ComplianceItem.objects.filter(
        rule="person_id_expiry",
        subject_id=person.pk,
        closed_at__isnull=True,
        status__in=OPEN_STATUSES,
    ).exists()


def test_record_a_licence_annual_report_in_chinese(
    page: Page, live_server, demo, login, shot, tmp_path
):
    licence = IcpLicence.objects.get(number="粤B2-20210458")
    year = timezone.localdate().year - 1
    login("agency_manager")
    page.goto(_url(live_server, "dashboard:overview"))
    page.locator("#language-select").select_option("zh-hans")
    page.locator("#language-switcher [type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.goto(_url(live_server, "dashboard:operator_detail", licence.operator_id))
    expect(_open_items(page, "licence_annual_report")).to_have_count(1)
    page.locator("#operator-licences").get_by_role("link", name=licence.number).click()
    expect(page.get_by_test_id("licence-number")).to_contain_text(licence.number)
    page.get_by_test_id("record-annual-report").click()

    receipt = tmp_path / "年报回执.pdf"
    receipt.write_bytes(PDF)
    page.locator('[name="year"]').fill(str(year))
    page.locator('[name="filed_on"]').fill(timezone.localdate().isoformat())
    page.locator('[name="receipt"]').set_input_files(str(receipt))
    shot("licence-annual-report-zh-hans")
    page.locator("#save-button").click()

    expect(page).to_have_url(_url(live_server, "dashboard:licence_detail", licence.pk))
    expect(page.get_by_test_id("annual-report-row")).to_have_attribute("data-year", str(year))
    expect(page.get_by_test_id("last-report-year")).to_have_text(str(year))
    expect(
        page.locator('#licence-items [data-rule="licence_annual_report"]').filter(
            has=page.locator(".status-overdue, .status-due_soon")
        )
    ).to_have_count(0)
    shot("licence-annual-report-recorded")

    page.goto(_url(live_server, "dashboard:operator_detail", licence.operator_id))
    expect(_open_items(page, "licence_annual_report")).to_have_count(0)
    report = LicenceAnnualReport.objects.get(licence=licence)
    assert report.year == year
    assert report.receipt is not None
    assert report.receipt.original_name == "年报回执.pdf"


def test_a_new_operator_gets_a_setup_checklist(page: Page, live_server, demo, login, shot):
    org_id = Operator.objects.get(name_zh="杭州西湖数据有限公司").organization_id
    operator = Operator.objects.create(
        organization_id=org_id,
        name_zh="杭州新来科技有限公司",
        uscc=valid_uscc(515151),
        province_id="330000",
    )
    login("agency_manager")
    page.goto(_url(live_server, "dashboard:operator_detail", operator.pk))

    expect(page.locator("#operator-compliance-summary")).not_to_contain_text("No compliance items")
    checklist = page.get_by_test_id("setup-checklist")
    expect(checklist.locator('[data-done="false"]')).to_have_count(4)
    shot("operator-setup-checklist")
    checklist.locator('[data-step="entity_person"] a').click()

    expect(page.locator('[name="role"]')).to_have_value("entity")
    page.locator('[name="name"]').fill("林新")
    page.locator('[name="id_number"]').fill(valid_ric(5151))
    page.locator('[name="mobile"]').fill("13955551515")
    page.locator("#save-button").click()

    expect(page).to_have_url(_url(live_server, "dashboard:operator_detail", operator.pk))
    step = page.get_by_test_id("setup-checklist").locator('[data-step="entity_person"]')
    expect(step).to_have_attribute("data-done", "true")
