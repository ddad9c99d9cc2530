"""Factories for core's models."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from core.models import IdempotencyKey

from .accounts import UserFactory


class IdempotencyKeyFactory(DjangoModelFactory[IdempotencyKey]):
    """A claimed key of a comment submission."""

    class Meta:
        model = IdempotencyKey

    user = factory.SubFactory(UserFactory)
    scope = "filings.comment:1"
    key = factory.Sequence(lambda n: f"key-{n:04d}")
    object_id = factory.Sequence(lambda n: n + 1)
