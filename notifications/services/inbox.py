"""What a user does with their own notifications, preferences, calendar feed and webhooks."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.access import (
    acknowledgement_closes_escalation,
    ensure_can_acknowledge,
    ensure_can_manage_webhooks,
    ensure_signed_in,
    membership_for,
)
from accounts.types import User

from ..choices import FAILURE_KEY_PREFIX
from ..models import (
    CalendarFeed,
    Notification,
    NotificationPreference,
    Reminder,
    WebhookEndpoint,
)
from ..webhooks import WEBHOOK_KINDS, WebhookURLError, webhook_url_check


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """`notification` comes from notification_list_for_user: scoping is the caller's read."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def _close_escalations(user: User, pending: Sequence[Notification], now) -> None:
    """Mark the reminders acknowledged (their escalation stops) where the user's role is one
    the notification's organization lets close it; a client's acknowledgement is not.
    """
    notices = set(
        Notification.objects.filter(
            pk__in=[n.pk for n in pending], delivery__recipient_key__startswith=FAILURE_KEY_PREFIX
        ).values_list("pk", flat=True)
    )  # a notice that a webhook failed is about the reminder, not the reminder itself
    for org_id in {n.organization_id for n in pending if n.pk not in notices}:
        if not acknowledgement_closes_escalation(user, org_id):
            continue
        membership = membership_for(user, org_id)
        Reminder.objects.filter(
            pk__in={
                n.reminder_id
                for n in pending
                if n.organization_id == org_id and n.pk not in notices
            },
            acknowledged_at=None,
        ).update(
            acknowledged_at=now,
            acknowledged_by=user,
            acknowledged_role=membership.role if membership else "",
        )


@transaction.atomic
def notification_acknowledge(*, user: User, notification: Notification) -> Notification:
    """Acknowledging marks the notification read and records who acknowledged, when and in
    which role. It stops the "not acknowledged" escalation of its deadline (the reminder is
    marked acknowledged) only when the organization lets that role close it
    (accounts.access.acknowledgement_closes_escalation): a client's acknowledgement is theirs
    and the agency is still told. The planned reminder steps and the overdue escalation still
    come, and the compliance item stays open until the obligation is met.

    Only the notification's own user may (accounts.access.can_acknowledge).
    """
    ensure_can_acknowledge(user, notification)
    now = timezone.now()
    if notification.acknowledged_at is None:
        membership = membership_for(user, notification.organization_id)
        notification.acknowledged_at = now
        notification.acknowledged_role = membership.role if membership else ""
        notification.read_at = notification.read_at or now
        notification.save(update_fields=["acknowledged_at", "acknowledged_role", "read_at"])
        _close_escalations(user, [notification], now)
    return notification


@transaction.atomic
def notification_acknowledge_many(*, user: User, notifications: Sequence[Notification]) -> int:
    """Acknowledge several notifications at once (as notification_acknowledge each);
    returns how many were not acknowledged before. All or nothing: one that is not the
    user's own refuses the whole batch before anything is written.
    """
    for n in notifications:
        ensure_can_acknowledge(user, n)
    pending = [n for n in notifications if n.acknowledged_at is None]
    if not pending:
        return 0
    now = timezone.now()
    for org_id in {n.organization_id for n in pending}:
        membership = membership_for(user, org_id)
        Notification.objects.filter(
            pk__in=[n.pk for n in pending if n.organization_id == org_id]
        ).update(
            acknowledged_at=now,
            acknowledged_role=membership.role if membership else "",
            read_at=Coalesce("read_at", Value(now)),
        )
    _close_escalations(user, pending, now)
    return len(pending)


def preference_for(*, user: User) -> NotificationPreference:
    """The saved preference, or the defaults (unsaved) when the user never changed them."""
    member = ensure_signed_in(user)
    try:
        return member.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=member)


def _validate_url(url: str, *, kind: str | None, field: str) -> None:
    try:
        webhook_url_check(url, kind=kind)
    except WebhookURLError as exc:
        raise ValidationError({field: [exc.message]}) from None


def validate_webhook_url(url: str, *, kind: str) -> None:
    """Refuse an unknown kind, a URL whose scheme does not fit the kind, a JSON URL that
    overrides the method or headers, and one that would reach a host that is not public (or
    not the vendor's own).
    """
    if kind not in WEBHOOK_KINDS:
        raise ValidationError({"kind": [_("Unknown webhook kind “%(kind)s”.") % {"kind": kind}]})
    _validate_url(url, kind=kind, field="url")


@transaction.atomic
def preference_update(*, user: User, **fields: Any) -> NotificationPreference:
    """Update channels, mode and language (the language is the user's own setting)."""
    member = ensure_signed_in(user)
    pref = preference_for(user=member)
    language = fields.pop("language", None)
    if fields.get("webhook_url"):  # clearing it is always allowed
        access.ensure_can_use_personal_webhook(member)
        _validate_url(fields["webhook_url"], kind=None, field="webhook_url")
    if "webhook_url" in fields:  # a new (or no) URL: the note about the removed one is done
        pref.webhook_removed_reason = ""
    for name, value in fields.items():
        setattr(pref, name, value)
    pref.full_clean()
    pref.save()
    if language is not None and language != member.language:
        member.language = language
        member.full_clean(validate_unique=False)
        member.save(update_fields=["language"])
    return pref


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_regenerate(*, user: User) -> str:
    """A new secret token; the old URL stops working. Only the hash is stored."""
    member = ensure_signed_in(user)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=member).delete()
    CalendarFeed.objects.create(user=member, token_hash=_token_hash(token))
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    """Delete the user's calendar feed: its private URL stops working."""
    CalendarFeed.objects.filter(user=ensure_signed_in(user)).delete()


def calendar_feed_user(*, token: str):
    """The active user a token belongs to, or None (unknown, revoked, or user disabled)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=_token_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


@transaction.atomic
def webhook_endpoint_create(
    *,
    user: User,
    organization,
    name: str,
    kind: str,
    url: str,
    language: str = "zh-hans",
    is_active: bool = True,
) -> WebhookEndpoint:
    """Add a webhook endpoint to an organization the user manages."""
    ensure_can_manage_webhooks(user, organization.pk)
    validate_webhook_url(url, kind=kind)
    endpoint = WebhookEndpoint(
        organization=organization,
        name=name,
        kind=kind,
        url=url,
        language=language,
        is_active=is_active,
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, user: User, endpoint: WebhookEndpoint) -> None:
    """Delete a webhook endpoint of an organization the user manages."""
    ensure_can_manage_webhooks(user, endpoint.organization_id)
    endpoint.delete()


@transaction.atomic
def webhook_endpoint_update(
    *, user: User, endpoint: WebhookEndpoint, **fields: Any
) -> WebhookEndpoint:
    """Rename, re-target or switch an endpoint; an empty `url` keeps the stored one.

    Managers of the endpoint's organization only; moving it to another organization needs the
    same right there.
    """
    ensure_can_manage_webhooks(user, endpoint.organization_id)
    organization = fields.pop("organization", None)
    if organization is not None and organization.pk != endpoint.organization_id:
        ensure_can_manage_webhooks(user, organization.pk)
        endpoint.organization = organization
    url = fields.pop("url", "") or ""
    for name in ("name", "kind", "language", "is_active"):
        if name in fields:
            setattr(endpoint, name, fields[name])
    if url:
        endpoint.url = url
    validate_webhook_url(endpoint.url, kind=endpoint.kind)
    if endpoint.is_active:  # checked again above: the note about switching it off is done
        endpoint.disabled_reason = ""
    endpoint.full_clean()
    endpoint.save()
    return endpoint
