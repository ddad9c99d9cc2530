"""The portfolio in Chromium: search by initials, pinyin order, a count leading to its list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from miniprograms.names import name_sort_key

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_portfolio_search_by_initials_order_and_export_link(
    page: Page, live_server, demo, login, shot
):
    login("agency_manager")
    page.goto(live_server.url + reverse("dashboard:portfolio") + "?sort=name&page_size=100")
    names = page.locator('[data-testid="portfolio-row"] td:first-child a').all_text_contents()
    assert len(names) > 3
    assert names == sorted(names, key=name_sort_key)  # pinyin order, not code points

    page.fill("#f-q", "bjcc")  # the initials of 北京长城
    page.locator("#portfolio-filters [type=submit]").click()
    rows = page.get_by_test_id("portfolio-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("北京长城教育咨询有限公司")
    export = page.get_by_test_id("portfolio-export-csv")
    expect(export).to_have_attribute("href", re.compile(r"^/portfolio/export\.csv\?.*q=bjcc"))
    shot("portfolio-search")

    rows.first.get_by_test_id("miniprograms-link").click()
    expect(page.get_by_test_id("miniprogram-table")).to_be_visible()
    assert "operator=" in page.url
