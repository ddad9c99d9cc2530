"""Factories for the audit log."""

from __future__ import annotations

import factory
from django.contrib.contenttypes.models import ContentType
from factory.django import DjangoModelFactory

from audit.actions import AccessAction
from audit.models import AuditEntry

from .accounts import OrganizationFactory, UserFactory


class AuditEntryFactory(DjangoModelFactory[AuditEntry]):
    """An ID reveal by a user of an organization (the target is the user, for simplicity).
    Entries are append-only: build what a test needs at creation time."""

    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory)
    actor_label = factory.SelfAttribute("actor.username")
    organization = factory.SubFactory(OrganizationFactory)
    action = AuditEntry.Action.ACCESS
    access = AccessAction.ID_REVEALED
    content_type = factory.LazyFunction(
        lambda: ContentType.objects.get_by_natural_key("accounts", "user")
    )
    object_pk = factory.LazyAttribute(lambda e: str(e.actor.pk))
    object_id = factory.LazyAttribute(lambda e: e.actor.pk)
    object_repr = factory.LazyAttribute(lambda e: e.actor.username)
    changes = factory.LazyFunction(lambda: {"note": ["", "test"]})
    serialized_data = factory.LazyFunction(lambda: {"model": "accounts.user"})
    additional_data = factory.LazyFunction(lambda: {"via": "factory"})
    remote_addr = "192.0.2.1"
