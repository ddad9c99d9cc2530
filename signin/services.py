"""Writes of the signin app: an organization's sign-in policy."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.access import ensure_can_manage_organization
from accounts.models import Organization
from accounts.types import User


def sign_in_policy_update(
    *, actor: User, organization: Organization, require_two_factor: bool, password_sign_in: bool
) -> Organization:
    """Set whether members need a second factor and whether they may sign in with a password."""
    ensure_can_manage_organization(actor, organization.pk)
    if not password_sign_in and not organization.sso_providers:
        raise ValidationError(
            _("Choose a single sign-on provider before turning password sign-in off."),
            code="no_sso_provider",
        )
    organization.require_two_factor = require_two_factor
    organization.password_sign_in = password_sign_in
    organization.save(update_fields=["require_two_factor", "password_sign_in", "updated_at"])
    return organization
