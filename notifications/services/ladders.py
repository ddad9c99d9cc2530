"""Writes to reminder ladders (when to remind, per organization and rule)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import ensure_can_manage_organization
from accounts.models import Role
from accounts.types import User

from ..models import ReminderLadder

LADDER_FIELDS = (
    "organization",
    "rule",
    "offsets",
    "overdue_every_days",
    "escalate_when_overdue",
    "escalate_unacknowledged_after_days",
    "roles",
    "hour_offsets",
)


def _clean_ladder(ladder: ReminderLadder) -> None:
    errors: dict[str, list[str]] = {}
    offsets = ladder.offsets
    if not isinstance(offsets, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in offsets
    ):
        errors["offsets"] = [_("List whole numbers of days, 0 or more, e.g. [30, 7, 0].")]
    elif len(set(offsets)) != len(offsets):
        errors["offsets"] = [_("Each day may appear once.")]
    else:
        ladder.offsets = sorted(offsets, reverse=True)
    hours = ladder.hour_offsets
    if hours is None:  # left empty in a form: no hour steps
        hours = ladder.hour_offsets = []
    if not isinstance(hours, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and 0 < n <= 24 * 30 for n in hours
    ):
        errors["hour_offsets"] = [_("List whole numbers of hours, 1 or more, e.g. [24, 4, 1].")]
    elif len(set(hours)) != len(hours):
        errors["hour_offsets"] = [_("Each hour may appear once.")]
    else:
        ladder.hour_offsets = sorted(hours, reverse=True)
    roles = ladder.roles
    if not isinstance(roles, list) or not set(roles) <= set(Role.values):
        errors["roles"] = [
            _("List membership roles among: %(roles)s.") % {"roles": ", ".join(Role.values)}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ladder_save(*, user: User, ladder: ReminderLadder, **fields: Any) -> ReminderLadder:
    """Create (unsaved `ladder`) or update a ladder. An organization's ladders are its
    managers'; the global defaults (no organization) are superusers'.
    """
    if ladder.pk is not None:
        ensure_can_manage_organization(user, ladder.organization_id)  # where it is now
    for name in LADDER_FIELDS:
        if name in fields:
            setattr(ladder, name, fields[name])
    ensure_can_manage_organization(user, ladder.organization_id)  # where it goes
    _clean_ladder(ladder)
    ladder.full_clean()
    try:
        with transaction.atomic():
            ladder.save()
    except IntegrityError:
        raise ValidationError(_("A ladder for this organization and rule exists.")) from None
    return ladder


@transaction.atomic
def ladder_delete(*, user: User, ladder: ReminderLadder) -> None:
    """Remove a ladder; the next one in the lookup order applies again."""
    ensure_can_manage_organization(user, ladder.organization_id)
    ladder.delete()
