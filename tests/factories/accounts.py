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
    revealing ID numbers, unless asked), not a superuser: what the admin scoping is about."""
    from django.contrib.auth.models import Permission

    user = MembershipFactory(organization=organization, role=role).user
    user.is_staff = True
    user.save()
    permissions = Permission.objects.all()
    if not reveal_pii:
        permissions = permissions.exclude(codename="reveal_pii")
    user.user_permissions.set(permissions)
    return user
