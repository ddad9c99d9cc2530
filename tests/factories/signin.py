"""Factories for signin: invitations (the token is not kept: `token_hash` of a random one)."""

from __future__ import annotations

import datetime
import hashlib

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role
from signin.models import Invitation

from .accounts import OrganizationFactory


class InvitationFactory(DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.VIEWER
    token_hash = factory.Sequence(lambda n: hashlib.sha256(f"token-{n}".encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
