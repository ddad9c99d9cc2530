"""In a real browser: the invitee opens the e-mailed link, picks the organization's single
sign-on provider, signs in at the provider (a local fake that sends the browser straight back
with a code) and lands on the dashboard with a new account and membership."""

from __future__ import annotations

import copy

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import Membership, Role, User
from signin.invitations import services
from tests.factories import MembershipFactory, OrganizationFactory
from tests.sso_fakes import FakeOIDC, Identity, vendor_server

from .conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def idp(tmp_path, hosts_file, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": "Agency IdP",
                    "client_id": "icpfiling-test",
                    "secret": "s3cret",
                    "settings": {"server_url": "https://idp.example.com"},
                }
            ]
        }
    }
    # what settings/sso.py does for a provider from the environment: the sign-in form may
    # redirect to its authorize page (browsers apply the CSP's form-action to redirects)
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append("https://idp.example.com")
    settings.CONTENT_SECURITY_POLICY = policy
    with vendor_server("idp.example.com", tmp_path, hosts_file, settings) as server:
        yield FakeOIDC(server, client_id="icpfiling-test")


def test_an_invitee_joins_through_the_provider_and_lands_on_the_dashboard(
    idp, live_server, playwright
):
    # given: an organization that lets its members in through the provider only
    org = OrganizationFactory(name="浏览器代理", sso_providers=["oidc"], password_sign_in=False)
    manager = MembershipFactory(organization=org, role=Role.MANAGER).user
    _invitation, token = services.invitation_create(
        user=manager, organization=org, email="dana@example.com", role=Role.VIEWER
    )
    idp.identity = Identity(sub="dana-42", name="Dana")
    # the browser finds the fake provider where the server does (its self-signed certificate
    # is accepted for this test's browser only)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP idp.example.com {idp.server.host}"],
    )
    try:
        context = browser.new_context(ignore_https_errors=True, locale="en-US")
        page = context.new_page()

        # when: the link, then the provider's button
        page.goto(f"{live_server.url}/invitations/accept/{token}/")
        assert page.get_by_role("heading", name="Join 浏览器代理").is_visible()
        assert page.locator('input[name="password1"]').count() == 0  # SSO only
        page.get_by_test_id("accept-with-oidc").get_by_role("button").click()
        page.wait_for_url(live_server.url + reverse("dashboard:overview"))

        # then: signed in on the dashboard, as the new account
        assert page.get_by_test_id("user-menu").is_visible()
        member = User.objects.get(email="dana@example.com")
        assert Membership.objects.get(user=member).organization == org
        assert SocialAccount.objects.get(user=member).uid == "dana-42"
        assert "/authorize" in idp.server.paths()

        # and: the link is spent
        spent = page.goto(f"{live_server.url}/invitations/accept/{token}/")
        assert spent is not None
        assert spent.status == 410
    finally:
        browser.close()
