"""Signing in with a password and an authenticator-app code, in English and in Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, enable_totp, totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-for-tests-1"  # UserFactory's password


@pytest.mark.parametrize(
    ("language", "sign_in", "code_label", "overview"),
    [
        ("en", "Sign in", "Code", "Overview"),
        ("zh-hans", "登录", "代码", "概览"),
    ],
)
def test_password_and_totp_code_land_on_the_dashboard(
    page: Page, live_server, shot, language, sign_in, code_label, overview
):
    org = OrganizationFactory(require_two_factor=True)
    user = MembershipFactory(organization=org, role=Role.MANAGER).user
    user.language = language
    user.save()
    secret = enable_totp(user)

    page.goto(f"{live_server.url}/accounts/login/")
    if language != "en":  # the anonymous page follows the header's language switch
        page.select_option("#language-select", language)
        page.locator('#language-switcher [type="submit"]').click()
    expect(page.locator("h1")).to_have_text(sign_in)
    shot(f"sign-in-{language}")
    page.fill('input[name="login"]', user.username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('#login-form [type="submit"]').click()

    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    expect(page.get_by_role("textbox", name=code_label, exact=True)).to_be_visible()
    shot(f"sign-in-code-{language}")
    page.fill('input[name="code"]', totp_code(secret))
    page.locator('form:has(input[name="code"]) [type="submit"]').first.click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator('[data-testid="nav-overview"]')).to_have_text(overview)
    expect(page.locator('[data-testid="user-menu"]')).to_be_visible()
