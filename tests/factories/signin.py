"""Factories of the signin app: a second factor (an authenticator app's row)."""

from __future__ import annotations

import factory
from allauth.mfa.models import Authenticator
from django.utils import timezone
from factory.django import DjangoModelFactory

from signin.models import SecondFactor

from .accounts import UserFactory


class SecondFactorFactory(DjangoModelFactory[SecondFactor]):
    """A TOTP authenticator row (its secret is not usable: `enable_totp` makes a real one)."""

    class Meta:
        model = SecondFactor

    user = factory.SubFactory(UserFactory)
    type = Authenticator.Type.TOTP
    data = factory.LazyFunction(lambda: {"secret": "not-a-real-secret"})
    last_used_at = factory.LazyFunction(timezone.now)  # allauth's field is not blank=True
