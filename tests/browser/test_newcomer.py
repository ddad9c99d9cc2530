"""What a newcomer sees first, in Chromium: a phone-width overview, whole placeholders,
the favicon."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The text width of an input's placeholder against the room the input gives it.
PLACEHOLDER_FITS = """(el) => {
  const style = getComputedStyle(el);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = style.font;
  const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return ctx.measureText(el.placeholder).width <= room;
}"""


def test_english_overview_fits_a_390px_phone(page: Page, live_server, demo, login, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    login("agency_manager")
    page.goto(live_server.url + reverse("dashboard:overview"))

    width = page.evaluate("document.documentElement.scrollWidth")

    shot("overview-390")
    assert width <= 390


@pytest.mark.parametrize(
    "name",
    [
        "dashboard:operator_list",
        "dashboard:miniprogram_list",
        "dashboard:domain_list",
        "dashboard:filing_list",
    ],
)
def test_search_placeholders_are_not_cut_off(page: Page, live_server, demo, login, name):
    login("agency_manager")
    page.goto(live_server.url + reverse(name))

    search = page.locator("#f-q")

    assert search.get_attribute("placeholder")
    assert search.evaluate(PLACEHOLDER_FITS)


def test_favicon_loads(page: Page, live_server, demo, login):
    login("agency_manager")

    response = page.goto(live_server.url + "/favicon.ico")

    assert response is not None
    assert response.ok
    assert response.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
