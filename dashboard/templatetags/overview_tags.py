"""How long until an hour deadline, in words, for the overview's "Today" block."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def time_left(due_at: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """ "5 h left, by 14:20" (whole hours or minutes, rounded down), "closed at 14:20" once
    the hour has passed; "" without an hour."""
    if due_at is None:
        return ""
    now = now or timezone.now()
    local = timezone.localtime(due_at)
    # The hour alone today; with its date otherwise (a window closing tomorrow morning).
    at = (
        time_format(local, "H:i")
        if local.date() == timezone.localdate(now)
        else (f"{local:%m-%d} " + time_format(local, "H:i"))
    )
    seconds = (due_at - now).total_seconds()
    if seconds <= 0:
        return _("closed at %(time)s") % {"time": at}
    minutes = int(seconds // 60)
    if minutes >= 60:
        hours = minutes // 60
        left = ngettext("%(n)d h left", "%(n)d h left", hours) % {"n": hours}
    else:
        left = ngettext("%(n)d min left", "%(n)d min left", minutes) % {"n": minutes}
    return _("%(left)s, by %(time)s") % {"left": left, "time": at}


@register.simple_tag
def hours_left(due_at, now=None) -> str:
    return time_left(due_at, now)
