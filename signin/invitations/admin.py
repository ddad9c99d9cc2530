"""Invitations in the admin: read-only (managers invite and revoke on the invitations page),
scoped like that page; the token's hash is never shown."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin_scope import TenantAdmin
from signin.models import Invitation

from .selectors import invitation_list_for_user


@admin.register(Invitation)
class InvitationAdmin(TenantAdmin[Invitation]):
    scope = invitation_list_for_user
    list_display = ["email", "organization", "role", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "organization"]
    search_fields = ["email", "organization__name"]
    exclude = ["token_hash"]
    readonly_fields = [
        "organization",
        "email",
        "role",
        "limited_to_assigned",
        "expires_at",
        "invited_by",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
