"""Factories for signin: invitations (the token is not kept: `token_hash` of a random one) and
second factors (an authenticator app's row)."""

from __future__ import annotations

import datetime
import hashlib

import factory
from allauth.mfa.models import Authenticator
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role
from signin.models import Invitation, SecondFactor

from .accounts import OrganizationFactory, UserFactory


class InvitationFactory(DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.VIEWER
    token_hash = factory.Sequence(lambda n: hashlib.sha256(f"token-{n}".encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class SecondFactorFactory(DjangoModelFactory[SecondFactor]):
    """A TOTP authenticator row (its secret is not usable: `enable_totp` makes a real one)."""

    class Meta:
        model = SecondFactor

    user = factory.SubFactory(UserFactory)
    type = Authenticator.Type.TOTP
    data = factory.LazyFunction(lambda: {"secret": "not-a-real-secret"})
    last_used_at = factory.LazyFunction(timezone.now)  # allauth's field is not blank=True
