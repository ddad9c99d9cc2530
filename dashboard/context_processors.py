"""Layout data for base.html: the organization switcher, whether to offer edit links, the
unread notification count and the count of the user's open items for the "Work" link."""

from __future__ import annotations

from functools import partial

from django.conf import settings

from accounts.access import (
    can_view_audit_log,
    create_refusal_reason,
    managed_organization_ids,
    membership_list_for_user,
    operator_refusal_reason,
    user_may_create_operators_somewhere,
    user_may_edit_somewhere,
)
from accounts.switcher import current_organization_id
from compliance.worklist import my_open_count
from notifications.selectors import notification_unread_count


def dashboard(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # The sign-in page of a local demo lists the demo logins (settings.DEMO_LOGIN_HINT).
        return {"demo_login_hint": settings.DEMO_LOGIN_HINT}
    memberships = membership_list_for_user(user=user)
    return {
        "nav_memberships": memberships,
        "nav_current_org": current_organization_id(request),
        # What base.html and the pages use to offer only the controls the user may use
        # (the services check again): any edit, adding operators, importing.
        "nav_can_edit": user_may_edit_somewhere(user=user),
        "nav_can_create_operator": user_may_create_operators_somewhere(user=user),
        "nav_can_import": user_may_create_operators_somewhere(user=user),
        # The invitations page: managers (and superusers).
        "nav_can_invite": user.is_superuser or bool(managed_organization_ids(user=user)),
        # Why not, for the pages that say so instead of showing a form.
        "nav_read_only_reason": lambda: operator_refusal_reason(user, None),
        "nav_create_refusal_reason": lambda: create_refusal_reason(user),
        # The header badge; htmx answers that change it swap it out of band.
        "nav_unread_count": notification_unread_count(user=user),
        # A callable: counted only when a page shows the navigation.
        "nav_work_count": partial(my_open_count, user=user),
        "nav_can_view_audit_log": partial(can_view_audit_log, user),
    }
