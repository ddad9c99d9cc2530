"""The organization switcher: which organization the pages are narrowed to, if any.

The choice is kept in the session by the dashboard's switcher; pages of every app
(dashboard lists, report exports) read it here, so no app needs to import the dashboard.
"""

from __future__ import annotations

from django.http import HttpRequest

from .access import membership_for

SESSION_ORG_KEY = "dashboard_org"


def current_organization_id(request: HttpRequest) -> int | None:
    """The organization chosen in the switcher, or None for "all" (the default).

    A choice the user may no longer see (membership removed) counts as "all".
    """
    raw = request.session.get(SESSION_ORG_KEY, "all")
    if raw == "all":
        return None
    try:
        org_id = int(raw)
    except (TypeError, ValueError):
        return None
    if request.user.is_superuser:
        return org_id
    return org_id if membership_for(request.user, org_id) is not None else None
