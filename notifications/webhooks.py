"""The kinds of chat bot and JSON hook an organization can send its reminders to.

A kind is one entry in WEBHOOK_KINDS: the value stored in `WebhookEndpoint.kind`, its label
and the apprise URL schemes it accepts. The model field reads `webhook_kind_choices`, so a
new kind (a Slack bot through apprise's `slack://`, say) is one entry here and its
translation: no migration, no other file. Sending is apprise's job (notifications.channels).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class WebhookKindSpec:
    """One kind of webhook: stored value, label, and the apprise schemes its URL may use."""

    value: str
    label: str | Promise
    schemes: tuple[str, ...]


WEBHOOK_KINDS: dict[str, WebhookKindSpec] = {
    spec.value: spec
    for spec in (
        WebhookKindSpec("wecom", _("WeCom bot"), ("wecombot",)),
        WebhookKindSpec("dingtalk", _("DingTalk bot"), ("dingtalk",)),
        WebhookKindSpec("feishu", _("Feishu bot"), ("feishu",)),
        WebhookKindSpec("lark", _("Lark bot"), ("lark",)),
        WebhookKindSpec("json", _("Generic JSON"), ("json", "jsons")),
    )
}


def webhook_kind_choices() -> list[tuple[str, str | Promise]]:
    """(value, label) of every webhook kind, for the model and form fields."""
    return [(spec.value, spec.label) for spec in WEBHOOK_KINDS.values()]


def webhook_schemes(kind: str) -> tuple[str, ...]:
    """The apprise URL schemes a webhook of `kind` accepts (none for an unknown kind)."""
    spec = WEBHOOK_KINDS.get(kind)
    return spec.schemes if spec else ()
