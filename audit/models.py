"""The audit log: one table for changes to rows (written by django-auditlog) and for access
events (written by audit.services.record_event). Append-only: no admin writes, and on
PostgreSQL a trigger refuses UPDATE and DELETE except for the retention purge."""

from __future__ import annotations

import contextlib
from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import pii

from .actions import AccessAction
from .context import SYSTEM_LABEL, actor_fields
from .tracked import organization_id_of


def _masked(value: Any) -> Any:
    """Free text (a comment, a rejection reason) may carry a resident ID number: masked in
    the diff and the object's name, like in every log line (core.pii.mask_text)."""
    if isinstance(value, str):
        return pii.mask_text(value)
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


def _with_context(instance: models.Model, kwargs: dict[str, Any]) -> dict[str, Any]:
    for key, value in actor_fields().items():
        kwargs.setdefault(key, value)
    kwargs.setdefault("organization_id", organization_id_of(instance))
    if kwargs.get("changes") is not None:
        kwargs["changes"] = _masked(kwargs["changes"])
    if "object_repr" not in kwargs:
        with contextlib.suppress(ObjectDoesNotExist):  # else auditlog names it itself
            kwargs["object_repr"] = pii.mask_text(str(instance))[:255]
    return kwargs


class AuditEntryManager(LogEntryManager):
    """django-auditlog's manager; every entry it writes also gets its organization and the
    actor (user or label), address and user agent of the moment (audit.context)."""

    def log_create(self, instance, force_log: bool = False, **kwargs):
        return super().log_create(instance, force_log=force_log, **_with_context(instance, kwargs))

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        return super().log_m2m_changes(
            changed_queryset, instance, operation, field_name, **_with_context(instance, kwargs)
        )


class AuditEntry(AbstractLogEntry):
    """One change or access event: who, when, where from, in which organization, on what."""

    # The log outlives users and organizations: their ids stay, with no constraint (a deleted
    # user's entries keep `actor_label`); nothing ever rewrites an entry.
    actor: models.ForeignKey[Any, Any] = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    organization: models.ForeignKey[Any, Any] = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    # Who, when there is no user (a connector, the system) or as they were called then.
    actor_label: models.CharField[str, str] = models.CharField(
        _("actor name"), max_length=150, blank=True
    )
    # For action ACCESS: what kind (AccessAction); blank for create, update and delete.
    access: models.CharField[str, str] = models.CharField(
        _("event"), max_length=40, choices=AccessAction.choices, blank=True, db_index=True
    )
    user_agent: models.CharField[str, str] = models.CharField(
        _("user agent"), max_length=300, blank=True
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["organization", "-timestamp"], name="audit_org_time"),
            models.Index(fields=["actor", "-timestamp"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        if self.access:
            return f"{self.get_access_display()}: {self.object_repr}"
        return str(super().__str__())

    @property
    def who(self) -> str:
        """The actor as recorded (their username then, or a label such as "system")."""
        return self.actor_label or (self.actor.get_username() if self.actor_id else "")

    @property
    def who_display(self) -> str:
        """`who`, with the system's label in the active language."""
        if self.actor_id is None and self.actor_label == SYSTEM_LABEL:
            return str(_("System"))
        return self.who

    @property
    def what(self) -> str:
        """The action in words: the access event, or created/updated/deleted."""
        if self.access:
            return str(self.get_access_display())
        return str(self.get_action_display())
