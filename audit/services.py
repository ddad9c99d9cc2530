"""Writing to the audit log. Every app records access events through `record_event`;
changes to tracked rows are written by django-auditlog (audit.tracked).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import smart_str

from accounts.models import Organization
from accounts.models import User as ProjectUser
from accounts.switcher import current_organization_id
from accounts.types import User
from core import pii

from .actions import AccessAction
from .context import actor_fields
from .models import AuditEntry
from .tracked import organization_id_of

audit_log = logging.getLogger("icpfiling.audit")

# The transaction-local PostgreSQL setting the append-only trigger lets DELETE through with.
PURGE_SETTING = "icpfiling.audit_purge"
OBJECT_REPR_MAX = 200


def _sole_organization_id(user: User | None) -> int | None:
    """The user's organization when they belong to exactly one (superusers: none)."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    from accounts.access import membership_list_for_user

    ids = {m.organization_id for m in membership_list_for_user(user=user)}
    return ids.pop() if len(ids) == 1 else None


def _person_of(target: models.Model | None) -> User | None:
    """The person a target is about: a user, or a user's own row (an API token)."""
    if isinstance(target, ProjectUser):
        return target
    person = getattr(target, "user", None)
    return person if isinstance(person, ProjectUser) else None


def _switcher_organization_id(request: HttpRequest | None, actor: User | None) -> int | None:
    """The organization the pages are narrowed to (the dashboard's switcher), if any."""
    if request is None or actor is None or not hasattr(request, "session"):
        return None
    if getattr(request, "user", None) != actor:
        return None
    return current_organization_id(request)


def record_event(
    action: AccessAction | str,
    *,
    actor: User | None = None,
    organization: Organization | None = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Record one access event: who (`actor`, or `actor_label` such as "connector:wechat" or
    the username tried), in which organization, on what, from where (`request`), and how.

    Without `actor` the request's (or the running request's) signed-in user is the actor.
    Without `organization` it is the target's, else the one the dashboard's switcher is
    narrowed to, else the only organization of the person the target is about (a user, a
    token's owner), else the actor's only organization.
    """
    action = AccessAction(action)
    actor_label = pii.mask_text(actor_label)  # a username tried may be an ID number
    context = actor_fields(request)
    if actor is None and not actor_label:
        actor = context["actor"]
    user = actor if isinstance(actor, ProjectUser) and actor.is_authenticated else None
    label = user.get_username() if user is not None else (actor_label or context["actor_label"])
    if organization is not None:
        organization_id: int | None = organization.pk
    else:
        organization_id = (
            organization_id_of(target)
            or _switcher_organization_id(request, user)
            or _sole_organization_id(_person_of(target))
            or _sole_organization_id(user)
        )
    subject: models.Model | None = target if target is not None else user
    if subject is not None:
        content_type = ContentType.objects.get_for_model(subject)
        object_pk = smart_str(subject.pk)
        object_id = subject.pk if isinstance(subject.pk, int) else None
        object_repr = pii.mask_text(smart_str(subject))[:OBJECT_REPR_MAX]
    else:  # e.g. a failed sign-in with an unknown username: the user model, no object
        content_type = ContentType.objects.get_for_model(ProjectUser)
        object_pk, object_id, object_repr = "", None, actor_label[:OBJECT_REPR_MAX]
    entry = AuditEntry.objects.create(
        action=AuditEntry.Action.ACCESS,
        access=action.value,
        actor=user,
        actor_label=label[:150],
        organization_id=organization_id,
        content_type=content_type,
        object_pk=object_pk,
        object_id=object_id,
        object_repr=object_repr,
        additional_data=detail or None,
        remote_addr=context["remote_addr"],
        user_agent=context["user_agent"],
    )
    audit_log.info(
        "action=%s actor=%s organization=%s target=%s",
        action.value,
        label,
        organization_id or "",
        f"{content_type.app_label}.{content_type.model}:{object_pk}",
    )
    return entry


def audit_entries_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the entries older than AUDIT_RETENTION_DAYS (0: keep all); how many."""
    days = settings.AUDIT_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
        deleted, _ = AuditEntry.objects.filter(timestamp__lt=cutoff).delete()
    return deleted
