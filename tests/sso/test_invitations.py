"""Invitations: a manager invites an e-mail address with a role; the link, good once until it
expires, gives the invitee an account and that membership, through a provider the organization
allows (the identity linked) or a password where the organization allows one."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role, User
from signin.invitations import services
from signin.models import Invitation
from tests.factories import MembershipFactory
from tests.sso_fakes import Identity

from .conftest import PROVIDER_ID, finish_at_provider, session_user_id, sign_in_with_idp

pytestmark = pytest.mark.django_db
STRONG = "Kx9!vadu-2781-plq"


def _invite(manager, org, email="new.person@example.com", role=Role.EDITOR):
    invitation, token = services.invitation_create(
        user=manager, organization=org, email=email, role=role
    )
    return invitation, token


def _link(token: str) -> str:
    return reverse("invitations:accept", kwargs={"token": token})


def _counts():
    return (
        User.objects.count(),
        Membership.objects.count(),
        SocialAccount.objects.count(),
        Invitation.objects.filter(accepted_at__isnull=False).count(),
    )


# --- sending ----------------------------------------------------------------------------------


def test_a_manager_invites_from_the_page_and_the_link_is_e_mailed_in_both_languages(
    org, manager, client, events
):
    client.force_login(manager)

    resp = client.post(
        reverse("invitations:list"),
        {"organization": org.pk, "email": "Zhang.San@Example.com", "role": "viewer"},
    )

    assert resp.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.organization, invitation.role, invitation.invited_by) == (
        org,
        "viewer",
        manager,
    )
    assert invitation.email.lower() == "zhang.san@example.com"
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)
    [message] = mail.outbox
    assert message.to == [invitation.email]
    assert org.name in message.subject
    found = re.search(r"/invitations/accept/([^/\s]+)/", str(message.body))
    assert found is not None
    token = found.group(1)
    assert services.token_hash(token) == invitation.token_hash  # only the hash is stored
    assert token not in invitation.token_hash
    assert message.body.count(token) == 2  # the Chinese and the English part
    [sent] = [e for e in events if e.action == "invitation_sent"]
    assert (sent.actor, sent.organization, sent.target) == (manager, org, invitation)
    listing = client.get(reverse("invitations:list"))
    assert invitation.email in listing.content.decode()


def test_a_viewer_cannot_invite(org, viewer, client):
    client.force_login(viewer)
    assert client.get(reverse("invitations:list")).status_code == 403
    resp = client.post(
        reverse("invitations:list"),
        {"organization": org.pk, "email": "x@example.com", "role": "manager"},
    )
    assert resp.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_manager_cannot_invite_into_another_organization(org, other_org, manager, client):
    client.force_login(manager)
    resp = client.post(
        reverse("invitations:list"),
        {"organization": other_org.pk, "email": "x@example.com", "role": "manager"},
    )
    assert resp.status_code == 400
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_address_that_already_has_an_account_is_not_invited(org, manager, client):
    MembershipFactory(organization=org, user__email="taken@example.com")
    client.force_login(manager)
    resp = client.post(
        reverse("invitations:list"),
        {"organization": org.pk, "email": "taken@example.com", "role": "viewer"},
    )
    assert resp.status_code == 400
    assert "already exists" in resp.content.decode()
    assert not Invitation.objects.exists()


# --- accepting through single sign-on ---------------------------------------------------------


def test_the_invitee_signs_in_with_the_provider_and_gets_exactly_one_account_and_membership(
    idp, org, manager, client, events
):
    # given
    org.sso_providers = [PROVIDER_ID]
    org.save()
    invitation, token = _invite(manager, org, role=Role.EDITOR)
    before = _counts()

    # when: the link, then the provider's button on it, then the provider
    page = client.get(_link(token))
    assert page.status_code == 200
    assert f'name="provider" value="{PROVIDER_ID}"' in page.content.decode()
    idp.identity = Identity(sub="carol-9", email="carol@idp.example.com", name="Carol")
    resp = finish_at_provider(client, idp, client.post(_link(token), {"provider": PROVIDER_ID}))

    # then: one user, one membership, one linked identity; signed in, on the dashboard
    assert resp.status_code == 302
    assert resp["Location"] == reverse("dashboard:overview")
    after = _counts()
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1, 1, 1]
    member = User.objects.get(email="new.person@example.com")
    assert session_user_id(client) == member.pk
    assert not member.has_usable_password()
    membership = Membership.objects.get(user=member)
    assert (membership.organization, membership.role) == (org, Role.EDITOR)
    account = SocialAccount.objects.get(user=member)
    assert (account.provider, account.uid) == (PROVIDER_ID, "carol-9")
    invitation.refresh_from_db()
    assert invitation.accepted_by == member
    assert [e.action for e in events if e.actor == member] == ["invitation_accepted", "sso_linked"]
    assert client.get(reverse("dashboard:overview")).status_code == 200

    # and: next time the same identity signs them in from the sign-in page
    client.logout()
    resp = sign_in_with_idp(client, idp, Identity(sub="carol-9"))
    assert session_user_id(client) == member.pk

    # and: the link is spent
    client.logout()
    assert client.get(_link(token)).status_code == 410
    assert _counts() == after


def test_a_provider_the_organization_does_not_allow_is_not_offered_by_the_link(
    idp, org, manager, client
):
    org.sso_providers = ["wecom"]
    org.password_sign_in = False
    org.save()
    _invitation, token = _invite(manager, org)
    before = _counts()

    page = client.get(_link(token))
    assert f'value="{PROVIDER_ID}"' not in page.content.decode()
    resp = client.post(_link(token), {"provider": PROVIDER_ID})

    assert resp.status_code == 404
    assert idp.server.seen == []
    assert _counts() == before


def test_an_invitation_revoked_while_the_invitee_is_at_the_provider_creates_nothing(
    idp, org, manager, client, events
):
    org.sso_providers = [PROVIDER_ID]
    org.save()
    invitation, token = _invite(manager, org)
    start = client.post(_link(token), {"provider": PROVIDER_ID})
    services.invitation_revoke(user=manager, invitation=invitation)
    before = _counts()

    idp.identity = Identity(sub="late-1")
    resp = finish_at_provider(client, idp, start)

    assert resp.status_code == 403
    assert session_user_id(client) is None
    assert _counts() == before
    assert [e.detail["reason"] for e in events if e.action == "sso_refused"] == [
        "invitation_unusable"
    ]


# --- accepting with a password ----------------------------------------------------------------


def test_where_passwords_are_allowed_the_invitee_chooses_a_username_and_password(
    org, manager, client, events
):
    invitation, token = _invite(manager, org, role=Role.VIEWER)

    resp = client.post(
        _link(token), {"username": "newbie", "password1": STRONG, "password2": STRONG}
    )

    assert resp.status_code == 302
    member = User.objects.get(username="newbie")
    assert member.email == invitation.email
    assert member.check_password(STRONG)
    assert session_user_id(client) == member.pk
    assert Membership.objects.get(user=member).role == Role.VIEWER
    assert not SocialAccount.objects.exists()
    [accepted] = [e for e in events if e.action == "invitation_accepted"]
    assert (accepted.actor, accepted.organization) == (member, org)


def test_a_weak_password_or_a_taken_username_creates_nothing(org, manager, client):
    _invitation, token = _invite(manager, org)
    before = _counts()

    weak = client.post(_link(token), {"username": "newbie", "password1": "123", "password2": "123"})
    taken = client.post(
        _link(token), {"username": manager.username, "password1": STRONG, "password2": STRONG}
    )

    assert (weak.status_code, taken.status_code) == (400, 400)
    assert "password1" in weak.context["form"].errors
    assert "username" in taken.context["form"].errors
    assert _counts() == before
    assert session_user_id(client) is None


def test_no_password_form_where_the_organization_allows_single_sign_on_only(org, manager, client):
    org.password_sign_in = False
    org.save()
    _invitation, token = _invite(manager, org)
    before = _counts()

    assert 'name="password1"' not in client.get(_link(token)).content.decode()
    resp = client.post(
        _link(token), {"username": "newbie", "password1": STRONG, "password2": STRONG}
    )

    assert resp.status_code == 400
    assert _counts() == before


# --- spent, revoked, expired, unknown links ---------------------------------------------------


@pytest.mark.parametrize("state", ["accepted", "revoked", "expired"])
def test_a_used_revoked_or_expired_link_is_410_and_changes_nothing(
    state, org, manager, client, idp
):
    org.sso_providers = [PROVIDER_ID]
    org.save()
    invitation, token = _invite(manager, org)
    if state == "accepted":
        services.invitation_accept_with_password(token=token, username="first", password=STRONG)
    elif state == "revoked":
        services.invitation_revoke(user=manager, invitation=invitation)
    else:
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    before = _counts()

    get = client.get(_link(token))
    post = client.post(
        _link(token), {"username": "second", "password1": STRONG, "password2": STRONG}
    )
    sso = client.post(_link(token), {"provider": PROVIDER_ID})

    assert (get.status_code, post.status_code, sso.status_code) == (410, 410, 410)
    assert "can no longer be used" in get.content.decode()
    assert _counts() == before
    assert idp.server.seen == []
    assert session_user_id(client) is None


def test_an_unknown_link_is_404(client):
    assert client.get(_link("not-a-token")).status_code == 404


# --- scope ------------------------------------------------------------------------------------


def test_another_organizations_manager_neither_sees_nor_revokes_an_invitation(
    org, manager, other_manager, client
):
    invitation, _token = _invite(manager, org)
    client.force_login(other_manager)

    listing = client.get(reverse("invitations:list"))
    resp = client.post(reverse("invitations:revoke", args=[invitation.pk]))

    assert listing.status_code == 200
    assert invitation.email not in listing.content.decode()
    assert resp.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_manager_revokes_their_invitation(org, manager, client, events):
    invitation, token = _invite(manager, org)
    client.force_login(manager)

    resp = client.post(reverse("invitations:revoke", args=[invitation.pk]))

    assert resp.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert [e.action for e in events if e.action.startswith("invitation_")] == [
        "invitation_sent",
        "invitation_revoked",
    ]
    client.logout()
    assert client.get(_link(token)).status_code == 410
