"""The README's pictures of an agency with 40+ clients: the worklist and the portfolio, in
English and Chinese (docs/screenshots/ holds copies of what this saves)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.access import operator_scope_q
from accounts.models import User
from miniprograms.models import Operator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_worklist_and_portfolio_of_an_agency_with_44_clients(
    page: Page, live_server, demo, login, shot, language
):
    call_command("seed_demo", clients=38, quiet=True)
    assert Operator.objects.filter(organization__slug="demo-agency").count() >= 44
    # Every client the manager sees (the demo agency's, and the in-house team it reads).
    manager = User.objects.get(username="agency_manager")
    clients = Operator.objects.filter(operator_scope_q(user=manager)).count()
    login("agency_manager")
    if language != "en":
        page.locator("#language-select").select_option(language)
        page.locator("#language-switcher [type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)

    page.goto(f"{live_server.url}/portfolio/?page_size=50")
    rows = page.get_by_test_id("portfolio-row")
    expect(rows).to_have_count(clients)
    shot(f"portfolio-44-clients-{language}")

    page.goto(f"{live_server.url}/work/")
    expect(page.get_by_test_id("worklist-row").first).to_be_visible()
    assert page.get_by_test_id("worklist-row").count() >= 25
    shot(f"worklist-{language}")
