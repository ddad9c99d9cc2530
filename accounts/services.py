"""Writes to organizations and memberships (the admin is their only write path today)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import ensure_can_manage_organization, membership_cache_clear
from accounts.models import Membership, Organization
from accounts.models import User as ProjectUser
from accounts.types import User
from core.exceptions import PermissionDeniedError

if TYPE_CHECKING:
    from miniprograms.models import Operator

ORGANIZATION_FIELDS = ("name", "slug", "kind", "acknowledgement_roles")
# Settings an organization's managers change after it exists.
ORGANIZATION_SETTINGS_FIELDS = ("personal_webhook_roles", "sso_providers")
MEMBERSHIP_FIELDS = ("role", "limited_to_assigned")


@transaction.atomic
def organization_create(
    *,
    user: User,
    name: str,
    slug: str,
    kind: str,
    acknowledgement_roles: list[str] | None = None,
) -> Organization:
    """A new tenant: superusers only."""
    if not getattr(user, "is_superuser", False):
        raise PermissionDeniedError(_("Only administrators can create organizations."))
    org = Organization(name=name, slug=slug, kind=kind)
    if acknowledgement_roles is not None:
        org.acknowledgement_roles = acknowledgement_roles
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def organization_update(*, user: User, organization: Organization, **fields: Any) -> Organization:
    """Rename an organization or change its settings (whose acknowledgements stop
    escalations, who may have a personal webhook): its managers.
    """
    ensure_can_manage_organization(user, organization.pk)
    for name in ORGANIZATION_FIELDS + ORGANIZATION_SETTINGS_FIELDS:
        if name in fields:
            setattr(organization, name, fields[name])
    organization.full_clean()  # validate_roles on both role settings, the provider ids
    organization.save()
    return organization


def _set_operators(membership: Membership, operators: Iterable[Operator] | None) -> None:
    if operators is None:
        return
    operators = list(operators)
    if any(op.organization_id != membership.organization_id for op in operators):
        raise ValidationError(
            {"operators": [_("Assign only operators of the membership's organization.")]}
        )
    membership.operators.set(operators)


@transaction.atomic
def membership_create(
    *,
    user: User,
    organization: Organization,
    member: ProjectUser,
    role: str,
    limited_to_assigned: bool = False,
    operators: Iterable[Operator] | None = None,
) -> Membership:
    """Give `member` a role in the organization: its managers."""
    ensure_can_manage_organization(user, organization.pk)
    m = Membership(
        user=member, organization=organization, role=role, limited_to_assigned=limited_to_assigned
    )
    m.full_clean()
    m.save()
    _set_operators(m, operators)
    membership_cache_clear(member)
    return m


@transaction.atomic
def membership_update(
    *,
    user: User,
    membership: Membership,
    operators: Iterable[Operator] | None = None,
    **fields: Any,
) -> Membership:
    """Change a member's role, limitation or assigned operators: the organization's managers."""
    ensure_can_manage_organization(user, membership.organization_id)
    for name in MEMBERSHIP_FIELDS:
        if name in fields:
            setattr(membership, name, fields[name])
    membership.full_clean()
    membership.save()
    _set_operators(membership, operators)
    membership_cache_clear(membership.user)
    return membership


@transaction.atomic
def membership_delete(*, user: User, membership: Membership) -> None:
    """Remove a member from the organization: its managers."""
    ensure_can_manage_organization(user, membership.organization_id)
    membership.delete()


PROFILE_FIELDS = ("first_name", "last_name", "email", "language")


@transaction.atomic
def user_profile_update(*, user: ProjectUser, **fields: Any) -> ProjectUser:
    """A person's own name, e-mail and language (nobody edits someone else's here)."""
    changed = [name for name in PROFILE_FIELDS if name in fields]
    for name in changed:
        setattr(user, name, fields[name])
    user.full_clean(exclude=[f.name for f in user._meta.fields if f.name not in changed])
    user.save(update_fields=changed)
    return user


@transaction.atomic
def user_language_set(*, user: ProjectUser, language: str) -> ProjectUser:
    """The one language of everything this person reads (pages, e-mails, reminders, files)."""
    if user.language != language:
        user.language = language
        user.full_clean(exclude=[f.name for f in user._meta.fields if f.name != "language"])
        user.save(update_fields=["language"])
    return user
