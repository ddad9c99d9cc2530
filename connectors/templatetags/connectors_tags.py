"""Connector pieces for templates: the health badge's class, and the connector section on
the mini-program page (``{% connector_section miniprogram %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.access import can_edit_operator
from miniprograms.selectors import miniprogram_list_for_user

from .. import selectors
from ..models import AccountHealth, SyncStatus

register = template.Library()

HEALTH_CLASS: dict[str, str] = {
    AccountHealth.OK: "status-compliant",
    AccountHealth.UNKNOWN: "status-draft",
    AccountHealth.BACKING_OFF: "status-due_soon",
    AccountHealth.FAILING: "status-overdue",
    AccountHealth.CREDENTIAL_ERROR: "status-overdue",
}
RUN_CLASS: dict[str, str] = {
    SyncStatus.SUCCEEDED: "status-compliant",
    SyncStatus.RUNNING: "status-provider_review",
    SyncStatus.PARTIAL: "status-due_soon",
    SyncStatus.DEFERRED: "status-due_soon",
    SyncStatus.SKIPPED: "status-draft",
    SyncStatus.FAILED: "status-overdue",
    SyncStatus.CREDENTIAL_ERROR: "status-overdue",
}


@register.filter
def health_class(value: str) -> str:
    return HEALTH_CLASS.get(value, "status-draft")


@register.filter
def run_class(value: str) -> str:
    return RUN_CLASS.get(value, "status-draft")


@register.inclusion_tag("connectors/_miniprogram_section.html", takes_context=True)
def connector_section(context: template.Context, miniprogram: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    # Scoped again through the access door: the page's object may come from anywhere.
    if not miniprogram_list_for_user(user=user).filter(pk=miniprogram.pk).exists():
        return {"visible": False}
    state = selectors.miniprogram_connector_state(user=user, miniprogram_id=miniprogram.pk)
    return {
        "visible": any(state.values()),
        "miniprogram": miniprogram,
        "can_edit": can_edit_operator(user, miniprogram.operator),
        **state,
    }
