"""What a reminder says, rendered in the recipient's language."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance import rows
from compliance.messages import render_message
from compliance.rules import rule_label
from core.text import header_text

from .models import Reminder, ReminderKind


@dataclass(frozen=True, slots=True)
class Message:
    subject: str  # one line, safe for a mail header (core.text.header_text)
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


def localized_message(reminder: Reminder) -> str:
    """The compliance sentence about this deadline in the active language.

    The planner keeps the sentence language-neutral on the reminder (`note`), so it renders
    in each recipient's language without a query, even after the item's row has closed.
    Reminders planned before notes were kept read their deadline's row; with neither, the
    sentence stored in the planner's language is the fallback.
    """
    language = translation.get_language()
    if reminder.note:
        return render_message(reminder.note, language=language)
    row = rows.item_for(
        reminder.subject_type, reminder.subject_id, reminder.rule, reminder.due_date, current=False
    )
    if row is not None and row.note:
        return render_message(row.note, language=language)
    return reminder.message


def in_app_message(reminder: Reminder) -> str:
    """The sentence of an in-app row in the active language, without a query: the
    reminder's language-neutral note, else the sentence stored when it was planned."""
    if reminder.note:
        return render_message(reminder.note, language=translation.get_language())
    return reminder.message


def reminder_render(
    reminder: Reminder, *, language: str, today: datetime.date, footer: bool = True
) -> Message:
    """The reminder as a message. `footer`: the lines that explain, outside the app, why the
    recipient gets it and that it is acknowledged in the app (e-mail and webhooks, not the
    in-app notification, which is read in the app next to its Acknowledge button)."""
    with translation.override(language):
        headline = reminder_headline(reminder, today=today)
        context = {
            "message": localized_message(reminder),
            "reminder": reminder,
            "headline": headline,
            "operator_name": reminder.operator.name_zh,
            "escalation": reminder.kind == ReminderKind.ESCALATION,
            "footer": footer,
        }
        return Message(
            # Whatever a stored name holds (a row written before text was cleaned, a bulk
            # write), the subject stays one header line: the reminder still goes out.
            subject=header_text(headline),
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
        messages = [localized_message(r) for r in reminders]
        context = {"subject": subject, "rows": list(zip(reminders, lines, messages, strict=True))}
        return Message(
            subject=header_text(subject),
            text=render_to_string("notifications/email/digest.txt", context),
            html=render_to_string("notifications/email/digest.html", context),
        )
