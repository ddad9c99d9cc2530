"""Writing to the audit log. Every app records access events through `record_event`."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.http import HttpRequest

from accounts.models import Organization, User

from .actions import AccessAction

audit_log = logging.getLogger("icpfiling.audit")


def record_event(
    action: AccessAction | str,
    *,
    actor: User | None = None,
    organization: Organization | None = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
) -> None:
    """Record one access event: who (`actor`, or `actor_label` such as "connector:wechat" or
    the username tried), in which organization, on what, from where (`request`), and how.
    """
    audit_log.info(
        "action=%s actor=%s organization=%s target=%s detail=%s",
        action,
        actor.pk if actor is not None else actor_label,
        organization.pk if organization is not None else "",
        f"{target._meta.label}:{target.pk}" if target is not None else "",
        detail or {},
    )
