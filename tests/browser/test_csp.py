"""Every page passes the Content Security Policy in a real browser (settings/csp.py).

An init script records each `securitypolicyviolation` event before the page's own scripts
run; the console is watched for CSP errors too. To cover a new page, add it to the list
of its journey (or a new journey): `(label, path or a callable that finds the path)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
});
"""


def _first_link(pattern: str) -> Callable[[Page], str]:
    """The first link on the current page whose path matches (e.g. a list's first row)."""

    def find(page: Page) -> str:
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            if re.fullmatch(pattern, href):
                return href
        raise AssertionError(f"no link like {pattern} on {page.url}")

    return find


Step = tuple[str, "str | tuple[str, Callable[[Page], str]]"]

# (label, path) or (label, (list page path, finder of the detail link on it)).
DASHBOARD_PAGES: list[Step] = [
    ("overview", "/"),
    ("worklist", "/work/"),
    ("portfolio", "/portfolio/"),
    ("operators", "/operators/"),
    ("operator page", ("/operators/", _first_link(r"/operators/\d+/"))),
    ("filings", "/filings/"),
    # A draft: its page shows the most (workflow actions, readiness).
    ("filing page", ("/filings/?status=draft", _first_link(r"/filings/\d+/"))),
    ("number checker", "/tools/number-checker/"),
    ("reports", "/reports/"),
    ("imports", "/reports/imports/"),
    ("notifications", "/notifications/"),
    ("notification preferences", "/notifications/preferences/"),
    ("profile", "/accounts/profile/"),
    ("API docs (Swagger UI)", "/api/docs/"),
]
ADMIN_PAGES: list[Step] = [
    ("admin index", "/admin/"),
    ("admin changelist", "/admin/filings/filingapplication/"),
    ("admin change form", ("/admin/filings/filingapplication/", _first_link(r".*/change/"))),
    ("admin users", "/admin/accounts/user/"),
]
SIGNED_OUT_PAGES: list[Step] = [
    ("sign-in page", "/accounts/login/"),
    ("password reset", "/accounts/password/reset/"),
]


@pytest.fixture
def violations(page: Page):
    """Console CSP errors of the whole test; the page's own events are read per page."""
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            console.append(text)

    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", on_console)
    return console


def _visit_all(page: Page, base: str, steps: list[Step], console: list[str]) -> list[str]:
    found: list[str] = []
    for label, target in steps:
        if isinstance(target, tuple):
            list_path, finder = target
            page.goto(base + list_path)
            path = finder(page)
        else:
            path = target
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, f"{label}: {response.status} at {path}"
        assert response.headers.get("content-security-policy"), f"{label}: no policy"
        page.wait_for_load_state("networkidle")
        found += [f"{label} ({path}): {v}" for v in page.evaluate("window.__csp")]
        found += [f"{label} ({path}) console: {c}" for c in console]
        console.clear()
    return found


def test_dashboard_pages_and_api_docs_pass_the_policy(
    page: Page, live_server, demo, login, violations
):
    login("agency_manager")
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    found = _visit_all(page, live_server.url, DASHBOARD_PAGES, violations)
    assert found == []


def test_swagger_ui_renders_under_the_policy(page: Page, live_server, demo, login, violations):
    login("agency_manager")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    expect(page.locator("#swagger-ui")).to_contain_text("/api/v1/filings/")
    assert page.evaluate("window.__csp") == []
    assert violations == []


def test_htmx_swaps_pass_the_policy(page: Page, live_server, demo, login, violations):
    login("agency_manager")
    page.goto(f"{live_server.url}/tools/number-checker/")
    page.fill("#id_number", "粤ICP备12345678号")
    expect(page.locator("#number-result")).not_to_be_empty()
    page.wait_for_load_state("networkidle")
    # htmx's indicator style element would be refused; the meta tag turned it off.
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert page.evaluate("window.__csp") == []
    assert violations == []


def test_admin_pages_pass_the_policy(page: Page, live_server, demo, violations):
    from accounts.models import User
    from tests.factories import enable_totp, totp_code

    secret = enable_totp(User.objects.get(username="admin"))  # superusers need a second factor
    page.goto(f"{live_server.url}/admin/login/")  # the admin signs in through allauth
    page.fill('input[name="login"]', "admin")
    page.fill('input[name="password"]', "demo-pass-2024")
    page.locator('form:has(input[name="password"]) [type="submit"]').click()
    page.fill('input[name="code"]', totp_code(secret))
    page.locator('form:has(input[name="code"]) [type="submit"]').first.click()
    expect(page.locator("#site-name")).to_be_visible()
    found = _visit_all(page, live_server.url, ADMIN_PAGES, violations)
    assert found == []


def test_signed_out_pages_pass_the_policy(page: Page, live_server, db, violations):
    found = _visit_all(page, live_server.url, SIGNED_OUT_PAGES, violations)
    assert found == []


def test_a_violation_would_be_caught(page: Page, live_server, db, violations):
    """The detector works: an inline script injected into a page is refused and recorded."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in page.evaluate("window.__csp"))
