"""The overview on a phone (390 px): today first, nothing wider than the screen."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_overview_at_390_px_starts_with_today_and_fits(page: Page, live_server, demo, login, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    login("agency_manager")
    page.goto(live_server.url + reverse("dashboard:overview"))
    today = page.get_by_test_id("today")
    expect(today).to_be_visible()
    # "Today" comes before the figures and the lists.
    first = page.evaluate(
        "() => [...document.querySelectorAll('main section, main .kpis')].map(e => e.id)[0]"
    )
    assert first == "today"
    # Every count of a list is a link (to the worklist).
    expect(page.get_by_test_id("count-overdue")).to_have_attribute("href", "/work/?status=overdue")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide at 390 px"
    shot("overview-390")
