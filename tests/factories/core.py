"""Factories for core's models."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from core import keys, pii
from core.models import EncryptionCanary, IdempotencyKey

from .accounts import UserFactory


class IdempotencyKeyFactory(DjangoModelFactory[IdempotencyKey]):
    """A claimed key of a comment submission."""

    class Meta:
        model = IdempotencyKey

    user = factory.SubFactory(UserFactory)
    scope = "filings.comment:1"
    key = factory.Sequence(lambda n: f"key-{n:04d}")
    object_id = factory.Sequence(lambda n: n + 1)


class EncryptionCanaryFactory(DjangoModelFactory[EncryptionCanary]):
    """The key canary under the configured first key (post_migrate writes the real one)."""

    class Meta:
        model = EncryptionCanary

    token = factory.LazyFunction(lambda: pii.encrypt(keys.CANARY_TEXT))
