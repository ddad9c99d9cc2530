"""Sign-in through a generic OpenID Connect provider (a local fake): only a linked member of an
organization that allows the provider gets in; everything else is refused, recorded, and
creates nothing."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import Membership, User
from tests.factories import MembershipFactory, UserFactory, enable_totp, totp_code
from tests.sso_fakes import Identity

from .conftest import PROVIDER_ID, session_user_id, sign_in_with_idp

pytestmark = pytest.mark.django_db


def _linked_member(org, uid="alice-1", providers=(PROVIDER_ID,)):
    org.sso_providers = list(providers)
    org.save()
    user = MembershipFactory(organization=org, role="editor").user
    SocialAccount.objects.create(user=user, provider=PROVIDER_ID, uid=uid, extra_data={})
    return user


def test_a_linked_member_of_an_organization_allowing_the_provider_lands_on_the_dashboard(
    idp, org, client, events, hosts_file
):
    # given
    user = _linked_member(org)

    # when
    resp = sign_in_with_idp(client, idp, Identity(sub="alice-1", email="other@example.org"))

    # then: signed in as them, on the dashboard
    assert resp.status_code == 302
    assert resp["Location"] == reverse("dashboard:overview")
    assert session_user_id(client) == user.pk
    assert client.get(reverse("dashboard:overview")).status_code == 200
    # the provider calls went to the fake, through the egress guard, and nowhere else
    discovery = "/.well-known/openid-configuration"  # read when leaving and when coming back
    assert idp.server.paths() == [discovery, discovery, "/token", "/userinfo"]
    assert set(hosts_file.lookups) == {"idp.example.com"}
    token_call = idp.server.seen[2]
    assert token_call.headers["Host"] == "idp.example.com"
    assert b"client_id=icpfiling-test" in token_call.body or "Authorization" in token_call.headers
    # no refusal; nothing else linked
    assert not [e for e in events if e.action == "sso_refused"]
    assert SocialAccount.objects.count() == 1


def test_the_same_identity_is_refused_once_the_organization_no_longer_allows_the_provider(
    idp, org, client, events
):
    # given: linked, but the organization now allows only WeCom
    user = _linked_member(org, providers=["wecom"])

    # when
    resp = sign_in_with_idp(client, idp, Identity(sub="alice-1"))

    # then: a clear page, no session, the refusal recorded
    assert resp.status_code == 403
    assert "None of your organizations allows signing in with Agency IdP" in resp.content.decode()
    assert session_user_id(client) is None
    assert client.get(reverse("dashboard:overview")).status_code == 302  # to the sign-in page
    [refusal] = [e for e in events if e.action == "sso_refused"]
    assert (refusal.actor, refusal.organization) == (user, org)
    assert refusal.detail == {
        "provider": PROVIDER_ID,
        "uid": "alice-1",
        "reason": "provider_not_allowed",
    }
    # the provider was asked (the code traded once), nothing more
    assert idp.server.paths().count("/token") == 1


def test_an_unknown_identity_gets_no_access_and_nothing_is_created(idp, org, client, events):
    # given: an account with the very e-mail the provider will claim, in an organization
    # that allows the provider: still no match by e-mail
    org.sso_providers = [PROVIDER_ID]
    org.save()
    existing = MembershipFactory(organization=org, user__email="bob@example.com").user
    users, memberships = User.objects.count(), Membership.objects.count()

    # when
    resp = sign_in_with_idp(client, idp, Identity(sub="bob-77", email="bob@example.com"))

    # then
    assert resp.status_code == 403
    body = resp.content.decode()
    assert "not linked to an icpfiling account" in body
    assert "ask your manager for an invitation" in body.lower()
    assert session_user_id(client) is None
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert not SocialAccount.objects.exists()
    assert not SocialAccount.objects.filter(user=existing).exists()
    [refusal] = [e for e in events if e.action == "sso_refused"]
    assert (refusal.actor, refusal.organization) == (None, None)
    assert refusal.detail["reason"] == "not_linked"


def test_a_superuser_with_no_membership_is_refused_unless_a_setting_lists_the_provider(
    idp, client, settings, events
):
    admin = UserFactory(is_staff=True, is_superuser=True)
    SocialAccount.objects.create(user=admin, provider=PROVIDER_ID, uid="root", extra_data={})

    resp = sign_in_with_idp(client, idp, Identity(sub="root"))
    assert resp.status_code == 403
    assert session_user_id(client) is None

    settings.SSO_SUPERUSER_PROVIDERS = [PROVIDER_ID]
    resp = sign_in_with_idp(client, idp, Identity(sub="root"))
    assert resp.status_code == 302
    assert session_user_id(client) == admin.pk


def test_a_member_with_totp_still_gets_the_second_factor_step(idp, org, client):
    # given
    user = _linked_member(org)
    secret = enable_totp(user)

    # when: back from the provider
    resp = sign_in_with_idp(client, idp, Identity(sub="alice-1"))

    # then: not signed in yet, asked for the code
    assert resp.status_code == 302
    assert resp["Location"] == reverse("mfa_authenticate")
    assert session_user_id(client) is None

    # when: the code
    resp = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    # then
    assert resp.status_code == 302
    assert session_user_id(client) == user.pk


def test_an_inactive_linked_user_is_not_signed_in(idp, org, client):
    user = _linked_member(org)
    user.is_active = False
    user.save()
    sign_in_with_idp(client, idp, Identity(sub="alice-1"))
    assert session_user_id(client) is None


def test_a_provider_answering_an_error_signs_nobody_in(idp, org, client):
    from tests.sso_fakes import json_answer

    _linked_member(org)
    idp.server.route("POST", "/token", json_answer({"error": "invalid_grant"}, status=400))
    resp = sign_in_with_idp(client, idp, Identity(sub="alice-1"))
    assert resp.status_code == 401  # allauth's "sign-in failed" page
    assert session_user_id(client) is None
    assert "/userinfo" not in idp.server.paths()
