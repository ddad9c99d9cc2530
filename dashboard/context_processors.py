"""Layout data for base.html: the organization switcher, whether to offer edit links and
the unread notification count."""

from __future__ import annotations

from accounts.access import membership_list_for_user, user_may_edit_somewhere
from accounts.switcher import current_organization_id
from notifications.selectors import notification_unread_count


def dashboard(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = membership_list_for_user(user=user)
    return {
        "nav_memberships": memberships,
        "nav_current_org": current_organization_id(request),
        "nav_can_edit": user_may_edit_somewhere(user=user),
        # The header badge; htmx answers that change it swap it out of band.
        "nav_unread_count": notification_unread_count(user=user),
    }
