"""Factories for accounts: organizations, users, memberships."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from accounts.models import Membership, Organization, OrganizationKind, Role, User


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"代理机构{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganizationKind.AGENCY


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def _save(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        # factory_boy passes the created user as the first argument.
        if create:
            self.save()  # type: ignore[attr-defined]


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.MANAGER


def make_staff(organization: Organization, role: str, *, reveal_pii: bool = False) -> User:
    """An admin-site staff member of `organization` with every model permission (but
    revealing ID numbers, unless asked: then with TOTP too), not a superuser: what the admin
    scoping is about."""
    from django.contrib.auth.models import Permission

    user = MembershipFactory(organization=organization, role=role).user
    user.is_staff = True
    user.save()
    permissions = Permission.objects.all()
    if not reveal_pii:
        permissions = permissions.exclude(codename="reveal_pii")
    user.user_permissions.set(permissions)
    if reveal_pii:
        enable_totp(user)  # revealing ID numbers needs a second factor
    return user


def enable_totp(user: User) -> str:
    """Turn on TOTP (with recovery codes) for `user`, as the setup page does; returns the
    secret, from which `totp_code` computes the current code."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret`."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())  # now, with the tolerance either side
    counter = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, counter))
