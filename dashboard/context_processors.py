"""Layout data for base.html: the organization switcher and whether to offer edit links."""

from __future__ import annotations

from django.conf import settings

from accounts.access import membership_list_for_user, user_may_edit_somewhere
from accounts.switcher import current_organization_id


def dashboard(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # The sign-in page of a local demo lists the demo logins (settings.DEMO_LOGIN_HINT).
        return {"demo_login_hint": settings.DEMO_LOGIN_HINT}
    memberships = membership_list_for_user(user=user)
    return {
        "nav_memberships": memberships,
        "nav_current_org": current_organization_id(request),
        "nav_can_edit": user_may_edit_somewhere(user=user),
    }
