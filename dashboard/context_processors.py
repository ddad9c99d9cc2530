"""Layout data for base.html: the organization switcher, whether to offer edit links, and
the count of the user's open items for the "Work" link."""

from __future__ import annotations

from functools import partial

from accounts.access import membership_list_for_user, user_may_edit_somewhere
from accounts.switcher import current_organization_id
from compliance.worklist import my_open_count


def dashboard(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = membership_list_for_user(user=user)
    return {
        "nav_memberships": memberships,
        "nav_current_org": current_organization_id(request),
        "nav_can_edit": user_may_edit_somewhere(user=user),
        # A callable: counted only when a page shows the navigation.
        "nav_work_count": partial(my_open_count, user=user),
    }
