"""A token is no way round the two-factor rule: a user who must have a second factor and has
none gets nothing from a token, nor a new token from the page."""

from __future__ import annotations

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory, make_api_token
from tokens.models import ApiToken

from .conftest import PASSWORD


def test_an_old_token_stops_working_once_a_second_factor_is_required(db, org):
    # given: a member with a token made before the organization required two-factor
    from tests.factories import MembershipFactory

    member = MembershipFactory(organization=org).user
    _, key = make_api_token(member)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/operators/").status_code == 200

    # when
    org.require_two_factor = True
    org.save()
    refused = client.get("/api/v1/operators/")
    renew = client.post(reverse("api-token-list"), {"name": "another"})

    # then
    assert refused.status_code == 403
    assert "Two-factor authentication is required" in refused.json()["detail"]
    assert renew.status_code == 403
    assert ApiToken.objects.filter(user=member).count() == 1


def test_the_tokens_page_sends_such_a_user_to_the_setup_first(db, client):
    superuser = UserFactory(is_staff=True, is_superuser=True)  # no authenticator app
    client.force_login(superuser)

    response = client.post(reverse("tokens:create"), {"name": "cli"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert not ApiToken.objects.exists()


def test_recovery_codes_alone_are_not_a_second_factor_for_a_token(db):
    # given: a superuser whose authenticator app was removed; recovery codes remain
    superuser = UserFactory(is_staff=True, is_superuser=True)
    superuser.set_password(PASSWORD)
    superuser.save()
    codes = RecoveryCodes.activate(superuser).get_unused_codes()

    # when
    refused = APIClient().post(
        reverse("api-token"),
        {"username": superuser.username, "password": PASSWORD, "code": codes[0]},
    )

    # then
    assert refused.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_sign_in_starts_no_browser_session(db):
    user = UserFactory()
    user.set_password(PASSWORD)
    user.save()

    response = APIClient().post(
        reverse("api-token"), {"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
