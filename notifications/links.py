"""Where a notification leads: its subject's page, or the worklist of its client.

Page names are looked up by name (no import of the pages' app).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from .models import Reminder

SUBJECT_PAGES = {
    "miniprogram": "dashboard:miniprogram_detail",
    "domain": "dashboard:domain_detail",
    "filing": "dashboard:filing_detail",
    "operator": "dashboard:operator_detail",
}


def worklist_url(**params: object) -> str:
    """The worklist filtered by `params`, e.g. worklist_url(operator=3) → /work/?operator=3."""
    query = urlencode(sorted((k, str(v)) for k, v in params.items()))
    path = reverse("dashboard:worklist")
    return f"{path}?{query}" if query else path


def item_url(reminder: Reminder) -> str:
    """The page of what the reminder is about; the client's worklist for subjects without a
    page of their own (people, licences, pre-approvals, documents)."""
    name = SUBJECT_PAGES.get(reminder.subject_type)
    if name is not None:
        try:
            return reverse(name, args=[reminder.subject_id])
        except NoReverseMatch:
            pass
    return worklist_url(operator=reminder.operator_id)
