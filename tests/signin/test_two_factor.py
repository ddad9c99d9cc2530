"""Who must have a second factor, what they reach without one, and signing in with one."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts import access
from accounts.admin_scope import SuperuserOnlyAdmin
from accounts.models import Role
from signin.models import SecondFactor
from tests.factories import (
    MembershipFactory,
    PersonFactory,
    enable_totp,
    make_staff,
    totp_code,
)

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/totp/activate/"


def _reveal_calls(monkeypatch) -> list[int]:
    from miniprograms.models import ResponsiblePerson

    calls: list[int] = []
    real = ResponsiblePerson.reveal_id_number

    def spy(self):
        calls.append(self.pk)
        return real(self)

    monkeypatch.setattr(ResponsiblePerson, "reveal_id_number", spy)
    return calls


def test_superuser_without_a_second_factor_reaches_only_the_setup(
    bare_superuser, operator, monkeypatch
):
    person = PersonFactory(operator=operator)
    revealed = _reveal_calls(monkeypatch)
    client = Client()
    signed_in = client.post(
        "/accounts/login/", {"login": bare_superuser.username, "password": PASSWORD}
    )
    assert signed_in["Location"] == reverse("dashboard:overview")

    for url in ("/admin/", "/", reverse("dashboard:operator_detail", args=[operator.pk])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
    # Setting up asks for the password again first (allauth's reauthentication), then shows.
    setup = client.get(SETUP, follow=True)
    assert setup.status_code == 200
    assert setup.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    assert "needs two-factor authentication" in setup.content.decode()
    again = client.post(setup.redirect_chain[-1][0], {"password": PASSWORD})
    assert again["Location"] == SETUP
    assert 'name="code"' in client.get(SETUP).content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 200

    api = client.post(reverse("person-reveal", args=[person.pk]))
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    assert access.can_reveal_pii(bare_superuser) is False
    assert revealed == []


def test_superuser_with_totp_reaches_the_admin_and_reveals(bare_superuser, operator):
    person = PersonFactory(operator=operator)
    enable_totp(bare_superuser)
    client = Client()
    client.force_login(bare_superuser)

    assert client.get("/admin/").status_code == 200
    response = client.post(reverse("person-reveal", args=[person.pk]))
    assert response.status_code == 200
    assert response.json()["id_number"] == person.reveal_id_number()


def test_token_api_user_with_the_permission_but_no_second_factor_cannot_reveal(
    api, manager, operator, monkeypatch
):
    person = PersonFactory(operator=operator)
    manager.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    manager = type(manager).objects.get(pk=manager.pk)
    revealed = _reveal_calls(monkeypatch)

    assert api(manager).post(reverse("person-reveal", args=[person.pk])).status_code == 403
    assert revealed == []


def test_a_reveal_permission_holder_must_set_up_a_second_factor(manager):
    manager.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    client = Client()
    client.force_login(manager)
    assert client.get("/")["Location"].startswith(SETUP)
    enable_totp(manager)
    assert client.get("/").status_code == 200


def test_organization_requiring_two_factor_sends_members_to_the_setup(org, manager, viewer):
    client = Client()
    client.force_login(viewer)
    assert client.get("/").status_code == 200  # not required yet

    org.require_two_factor = True
    org.save()
    response = client.get("/")
    assert response["Location"] == f"{SETUP}?next=%2F"
    api = client.get("/api/v1/operators/")
    assert api.status_code == 403
    assert "Two-factor authentication is required" in api.json()["detail"]

    enable_totp(viewer)
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/operators/").status_code == 200


def test_members_of_other_organizations_and_plain_staff_are_not_forced(org, other_manager, editor):
    org.require_two_factor = True
    org.save()
    client = Client()
    client.force_login(other_manager)
    assert client.get("/").status_code == 200


def test_sign_in_with_totp_lands_on_the_dashboard(manager):
    secret = enable_totp(manager)
    client = Client()
    first = client.post("/accounts/login/", {"login": manager.username, "password": PASSWORD})
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith("/accounts/login/")

    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert done["Location"] == reverse("dashboard:overview")
    assert client.get("/").status_code == 200


def test_recovery_codes_work_once_each(manager):
    enable_totp(manager)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=manager, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    code = codes[0]

    def sign_in_with(recovery_code: str) -> Client:
        client = Client()
        client.post("/accounts/login/", {"login": manager.username, "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": recovery_code})
        return client

    assert "_auth_user_id" in sign_in_with(code).session
    again = sign_in_with(code)
    assert "_auth_user_id" not in again.session
    assert "_auth_user_id" in sign_in_with(codes[1]).session
    left = RecoveryCodes(
        Authenticator.objects.get(user=manager, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert code not in left
    assert codes[1] not in left
    assert len(left) == len(codes) - 2


def test_password_sign_in_off_refuses_the_password(org, manager, other_org, events):
    org.password_sign_in = False
    org.save()
    client = Client()
    response = client.post("/accounts/login/", {"login": manager.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "use single sign-on" in response.content.decode()
    assert [(a, kw["actor"], kw["detail"]["reason"]) for a, kw in events] == [
        ("sign_in_failed", manager, "password_sign_in_off")
    ]

    # A member of one more organization that still allows passwords may use one.
    MembershipFactory(user=manager, organization=other_org, role=Role.VIEWER)
    assert (
        client.post(
            "/accounts/login/", {"login": manager.username, "password": PASSWORD}
        ).status_code
        == 302
    )


def test_superuser_without_memberships_is_unaffected_by_password_policies(org, superuser):
    org.password_sign_in = False
    org.save()
    client = Client()
    response = client.post("/accounts/login/", {"login": superuser.username, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


def test_allauth_models_in_the_admin_are_superuser_only(org, superuser):
    labels = {"account", "mfa", "socialaccount"}
    registered = [m for m in admin.site._registry if m._meta.app_label in labels]
    assert Authenticator not in registered  # listed as signin.SecondFactor instead
    assert isinstance(admin.site._registry[SecondFactor], SuperuserOnlyAdmin)
    for model in registered:
        assert isinstance(admin.site._registry[model], SuperuserOnlyAdmin), model

    staff = make_staff(org, Role.MANAGER)
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:signin_secondfactor_changelist")).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse("admin:signin_secondfactor_changelist")).status_code == 200


def test_staff_without_memberships_needing_it_are_not_forced(org):
    staff = make_staff(org, Role.MANAGER)
    assert not Authenticator.objects.filter(user=staff).exists()
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
