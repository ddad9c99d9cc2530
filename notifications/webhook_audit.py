"""Webhooks saved before core.egress guarded them: switch off the ones that point at a host
that is not public, or that override the method or headers.

Used by migration 0010 (with its historical models) and callable from tests. No DNS: only
literal addresses and names are judged here (a name is checked again before every send).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from .webhooks import WebhookURLError, webhook_url_check

logger = logging.getLogger(__name__)


@dataclass
class AuditReport:
    disabled_endpoints: list[tuple[int, str]] = field(default_factory=list)  # (pk, why)
    cleared_preferences: list[tuple[int, str]] = field(default_factory=list)  # (user id, why)


def unsafe_reason(url: str, kind: str | None, *, language: str = "zh-hans") -> str | None:
    """Why a stored webhook URL may not be used, in `language`, or None (literals and names
    only)."""
    with translation.override(language):
        try:
            webhook_url_check(url, kind=kind, lookup=False)
        except WebhookURLError as exc:
            return str(exc.message)
    return None


def _note(why: str, language: str) -> str:
    """The note its owner reads on the webhook: what happened, why, and what to do."""
    with translation.override(language):
        return gettext(
            "Switched off by icpfiling: %(why)s Enter a public address (or a chat bot URL) "
            "to use it again."
        ) % {"why": why}


def disable_unsafe_webhooks(apps: Any) -> AuditReport:
    """Switch off unsafe organization endpoints and clear unsafe personal webhook URLs."""
    endpoint_model = apps.get_model("notifications", "WebhookEndpoint")
    preference_model = apps.get_model("notifications", "NotificationPreference")
    report = AuditReport()
    for endpoint in endpoint_model.objects.filter(is_active=True).order_by("pk"):
        why = unsafe_reason(endpoint.url, endpoint.kind, language=endpoint.language)
        if why:
            endpoint.is_active = False
            endpoint.disabled_reason = _note(why, endpoint.language)
            endpoint.save(update_fields=["is_active", "disabled_reason"])
            report.disabled_endpoints.append((endpoint.pk, why))
            logger.warning(
                "webhook endpoint %s (organization %s) switched off: %s",
                endpoint.pk,
                endpoint.organization_id,
                why,
            )
    for pref in (
        preference_model.objects.exclude(webhook_url="").select_related("user").order_by("pk")
    ):
        language = pref.user.language or "zh-hans"
        why = unsafe_reason(pref.webhook_url, None, language=language)
        if why:
            pref.webhook_url = ""
            pref.webhook_removed_reason = _note(why, language)
            pref.save(update_fields=["webhook_url", "webhook_removed_reason"])
            report.cleared_preferences.append((pref.user_id, why))
            logger.warning("personal webhook of user %s cleared: %s", pref.user_id, why)
    return report
