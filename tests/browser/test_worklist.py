"""The worklist journey: filter to a client, assign an item, follow "Fix it", see it leave."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from compliance.models import ComplianceItem
from miniprograms.models import Domain, ResponsiblePerson

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLIENT_LABEL = {"en": "Client", "zh-hans": "客户"}
WORK_LABEL = {"en": "Work", "zh-hans": "待办"}


def _sign_in(page: Page, login, language: str) -> None:
    login("agency_manager")
    if language != "en":
        page.locator("#language-select").select_option(language)
        page.locator("#language-switcher [type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_assign_then_fix_a_domain_expiry(page: Page, live_server, demo, login, shot, language):
    domain = Domain.objects.get(name="xihu-data.com")
    staff = User.objects.get(username="agency_staff")
    _sign_in(page, login, language)

    # "Work" comes first in the navigation.
    nav = page.locator("#main-nav li").first
    expect(nav.locator("a")).to_have_attribute("data-testid", "nav-worklist")
    expect(nav.locator("a")).to_contain_text(WORK_LABEL[language])
    nav.locator("a").click()
    expect(page.get_by_test_id("worklist-table")).to_be_visible()
    expect(page.locator('label[for="f-operator"]')).to_contain_text(CLIENT_LABEL[language])

    page.locator("#f-operator").select_option(str(domain.operator_id))
    page.get_by_test_id("worklist-apply").click()
    rows = page.get_by_test_id("worklist-row")
    expect(rows.first).to_be_visible()
    for pk in rows.evaluate_all("rs => rs.map(r => r.dataset.operatorId)"):
        assert pk == str(domain.operator_id)

    row = page.locator('[data-testid="worklist-row"][data-rule="domain_expiry"]')
    expect(row).to_have_count(1)
    item_id = row.get_attribute("data-item-id")
    assert item_id is not None
    row.get_by_test_id("row-owner").select_option(str(staff.pk))
    row.get_by_test_id("row-assign").click()
    row = page.locator(f'[data-testid="worklist-row"][data-item-id="{item_id}"]')
    # Until now the column showed the client's assigned staff as the default owner.
    expect(row.get_by_test_id("owner-name")).to_have_text(staff.get_full_name() or staff.username)
    assert ComplianceItem.objects.get(pk=item_id).owner == staff
    shot(f"worklist-assigned-{language}")

    row.get_by_test_id("fix-it").click()
    expect(page).to_have_url(live_server.url + reverse("dashboard:domain_edit", args=[domain.pk]))
    later = timezone.localdate() + datetime.timedelta(days=400)
    page.locator('[name="expires_on"]').fill(later.isoformat())
    page.locator('main form [type="submit"]').last.click()
    expect(page).not_to_have_url(
        live_server.url + reverse("dashboard:domain_edit", args=[domain.pk])
    )

    page.goto(f"{live_server.url}/work/?operator={domain.operator_id}")
    expect(page.get_by_test_id("worklist-table")).to_be_visible()
    expect(page.locator(f'[data-testid="worklist-row"][data-item-id="{item_id}"]')).to_have_count(0)
    expect(page.locator('[data-testid="worklist-row"][data-rule="domain_expiry"]')).to_have_count(0)
    shot(f"worklist-fixed-{language}")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_assign_then_renew_a_responsible_persons_id(
    page: Page, live_server, demo, login, shot, language
):
    """The manager filters to one client, assigns its ID-expiry item, follows "Fix it" to the
    person's form, renews the ID, and the item leaves the list."""
    person = ResponsiblePerson.objects.get(operator__name_zh="杭州西湖数据有限公司", role="entity")
    staff = User.objects.get(username="agency_staff")
    _sign_in(page, login, language)
    page.get_by_test_id("nav-worklist").click()
    page.locator("#f-operator").select_option(str(person.operator_id))
    page.get_by_test_id("worklist-apply").click()

    row = page.locator('[data-testid="worklist-row"][data-rule="person_id_expiry"]')
    expect(row).to_have_count(1)
    item_id = row.get_attribute("data-item-id")
    assert item_id is not None
    row.get_by_test_id("row-owner").select_option(str(staff.pk))
    row.get_by_test_id("row-assign").click()
    row = page.locator(f'[data-testid="worklist-row"][data-item-id="{item_id}"]')
    expect(row.get_by_test_id("owner-name")).to_have_text(staff.get_full_name() or staff.username)

    row.get_by_test_id("fix-it").click()
    form_url = reverse("dashboard:person_edit", args=[person.operator_id, person.pk])
    expect(page).to_have_url(live_server.url + form_url)
    renewed = timezone.localdate() + datetime.timedelta(days=3650)
    page.locator('[name="id_expires_on"]').fill(renewed.isoformat())
    page.locator('main form [type="submit"]').last.click()
    expect(page).not_to_have_url(live_server.url + form_url)

    person.refresh_from_db()
    assert person.id_expires_on == renewed
    page.goto(f"{live_server.url}/work/?operator={person.operator_id}")
    expect(page.get_by_test_id("worklist-table")).to_be_visible()
    expect(page.locator(f'[data-testid="worklist-row"][data-item-id="{item_id}"]')).to_have_count(0)
    item = ComplianceItem.objects.get(pk=item_id)
    assert item.closed_at is not None or item.status == "compliant"
    shot(f"worklist-person-renewed-{language}")
