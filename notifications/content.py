"""What a reminder says, rendered in the recipient's language."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.engine import compliance_items
from compliance.rules import rule_label
from miniprograms.models import Operator

from .models import Reminder, ReminderKind


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    text: str
    html: str


def _when(reminder: Reminder, today: datetime.date) -> str:
    days = (reminder.due_date - today).days
    if days > 0:
        return ngettext("due in %(n)d day", "due in %(n)d days", days) % {"n": days}
    if days == 0:
        return _("due today")
    return ngettext("overdue by %(n)d day", "overdue by %(n)d days", -days) % {"n": -days}


def reminder_headline(reminder: Reminder, *, today: datetime.date) -> str:
    """One line, e.g. "Overdue by 3 days: 小程序A — miniprogram_existing_deadline (2024-03-31)"."""
    line = _("%(name)s: %(rule)s %(when)s (%(date)s)") % {
        "name": reminder.subject_name,
        "rule": rule_label(reminder.rule),
        "when": _when(reminder, today),
        "date": reminder.due_date.isoformat(),
    }
    if reminder.kind == ReminderKind.ESCALATION:
        line = _("[Escalation] %(line)s") % {"line": line}
    return line


def localized_message(reminder: Reminder, *, today: datetime.date) -> str:
    """The engine's sentence about this deadline in the active language.

    The planner stored it in whatever language the sweep ran in; re-evaluating the one rule
    for the one operator costs a few queries per message and spares a Chinese reader an
    English line. Falls back to the stored sentence when the item is gone.
    """
    try:
        items = compliance_items(
            as_of=today,
            operators=Operator.objects.filter(pk=reminder.operator_id),
            rules=[reminder.rule],
        )
    except ValueError:  # the rule no longer exists
        return reminder.message
    for item in items:
        if (item.subject_type, item.subject_id) == (reminder.subject_type, reminder.subject_id):
            return item.message
    return reminder.message


def reminder_render(reminder: Reminder, *, language: str, today: datetime.date) -> Message:
    with translation.override(language):
        headline = reminder_headline(reminder, today=today)
        context = {
            "message": localized_message(reminder, today=today),
            "reminder": reminder,
            "headline": headline,
            "operator_name": reminder.operator.name_zh,
            "escalation": reminder.kind == ReminderKind.ESCALATION,
        }
        return Message(
            subject=headline,
            text=render_to_string("notifications/email/reminder.txt", context),
            html=render_to_string("notifications/email/reminder.html", context),
        )


def digest_render(reminders: Sequence[Reminder], *, language: str, today: datetime.date) -> Message:
    with translation.override(language):
        lines = [reminder_headline(r, today=today) for r in reminders]
        subject = ngettext(
            "Compliance digest: %(n)d deadline needs attention",
            "Compliance digest: %(n)d deadlines need attention",
            len(lines),
        ) % {"n": len(lines)}
        messages = [localized_message(r, today=today) for r in reminders]
        context = {"subject": subject, "rows": list(zip(reminders, lines, messages, strict=True))}
        return Message(
            subject=subject,
            text=render_to_string("notifications/email/digest.txt", context),
            html=render_to_string("notifications/email/digest.html", context),
        )
