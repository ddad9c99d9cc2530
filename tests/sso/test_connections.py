"""A signed-in member links an identity from their account's connections page: only with a
provider one of their organizations allows; linking and unlinking are access events."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.sso_fakes import Identity

from .conftest import PROVIDER_ID, finish_at_provider, login_url, session_user_id

pytestmark = pytest.mark.django_db


def _connect(client, idp, sub):
    idp.identity = Identity(sub=sub)
    return finish_at_provider(client, idp, client.post(login_url(), {"process": "connect"}))


def test_a_member_links_an_identity_their_organization_allows_and_unlinks_it(
    idp, org, editor, client, events
):
    # given
    org.sso_providers = [PROVIDER_ID]
    org.save()
    client.force_login(editor)
    page = client.get(reverse("socialaccount_connections"))
    assert "Agency IdP" in page.content.decode()  # offered

    # when
    resp = _connect(client, idp, "ed-1")

    # then
    assert resp.status_code == 302
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (editor, PROVIDER_ID, "ed-1")
    [linked] = [e for e in events if e.action == "sso_linked"]
    assert (linked.actor, linked.organization, linked.target) == (editor, org, account)

    # and: it signs them in from now on
    client.logout()
    idp.identity = Identity(sub="ed-1")
    finish_at_provider(client, idp, client.post(login_url()))
    assert session_user_id(client) == editor.pk

    # when: unlinked (a password remains, so allauth lets them)
    resp = client.post(reverse("socialaccount_connections"), {"account": account.pk})

    # then
    assert resp.status_code == 302
    assert not SocialAccount.objects.exists()
    [unlinked] = [e for e in events if e.action == "sso_unlinked"]
    assert (unlinked.actor, unlinked.organization) == (editor, org)


def test_a_provider_no_organization_of_theirs_allows_cannot_be_linked(
    idp, org, editor, client, events
):
    org.sso_providers = ["wecom"]
    org.save()
    client.force_login(editor)
    page = client.get(reverse("socialaccount_connections"))
    assert "Agency IdP" not in page.content.decode()  # not offered

    resp = _connect(client, idp, "ed-1")

    assert resp.status_code == 403
    assert not SocialAccount.objects.exists()
    assert [e.detail["reason"] for e in events if e.action == "sso_refused"] == [
        "provider_not_allowed"
    ]
    assert not [e for e in events if e.action == "sso_linked"]


def test_an_identity_linked_to_someone_else_is_not_moved(idp, org, editor, viewer, client):
    org.sso_providers = [PROVIDER_ID]
    org.save()
    SocialAccount.objects.create(user=viewer, provider=PROVIDER_ID, uid="shared", extra_data={})
    client.force_login(editor)

    _connect(client, idp, "shared")

    assert list(SocialAccount.objects.values_list("user", flat=True)) == [viewer.pk]


def test_the_sign_in_page_offers_one_button_per_configured_provider(
    idp, settings, rf: RequestFactory
):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/accounts/login/")
    request.user = AnonymousUser()
    html = render_to_string("signin/_sso_buttons.html", request=request)
    assert html.count("<form") == 1
    assert f'action="{login_url()}?process=login"' in html
    assert "Agency IdP" in html

    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "<form" not in render_to_string("signin/_sso_buttons.html", request=request)
