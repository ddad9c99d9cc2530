"""Write checks, the reasons a write is refused, and role checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Organization, Role
from accounts.types import User
from core.exceptions import PermissionDeniedError

if TYPE_CHECKING:
    from accounts.models import User as ProjectUser
    from miniprograms.models import Operator

from ._base import EDIT_ROLES, PII_REVEAL_PERMISSION, _authenticated, _superuser
from .memberships import membership_for, membership_list_for_user
from .scope import managed_organization_ids

# --- write checks -----------------------------------------------------------------------------


def can_edit_operator(user: User, operator: Operator) -> bool:
    """Managers and editors of the operator's organization; limited ones only if assigned."""
    if _superuser(user):
        return True
    m = membership_for(user, operator.organization_id)
    if m is None or m.role not in EDIT_ROLES:
        return False
    if m.limited_to_assigned:
        return m.operators.filter(pk=operator.pk).exists()
    return True


def can_edit_in_organization(user: User, organization_id: int) -> bool:
    """May create new operators in the organization (unrestricted editors and managers)."""
    if _superuser(user):
        return True
    m = membership_for(user, organization_id)
    return m is not None and m.role in EDIT_ROLES and not m.limited_to_assigned


def user_may_edit_somewhere(*, user: User) -> bool:
    """Whether to offer any write control at all (the real check is in the services)."""
    if _superuser(user):
        return True
    return any(m.role in EDIT_ROLES for m in membership_list_for_user(user=user))


def user_may_create_operators_somewhere(*, user: User) -> bool:
    """Whether to offer "Add an operator" and the import form: unrestricted editors and
    managers of some organization (`can_edit_in_organization` / `can_import` decide)."""
    if _superuser(user):
        return True
    return any(
        m.role in EDIT_ROLES and not m.limited_to_assigned
        for m in membership_list_for_user(user=user)
    )


# --- why a write is refused: the real reason, shown on the 403 page and in messages -----------


def _read_only_role() -> str:
    return _(
        "Your role in this organization is read-only: ask one of its managers for the editor role."
    )


def operator_refusal_reason(user: User, operator: Operator | None) -> str:
    """Why `user` may not change `operator` (or, for None, may not write at all)."""
    memberships = (
        [membership_for(user, operator.organization_id)]
        if operator is not None
        else membership_list_for_user(user=user)
    )
    if any(m is not None and m.role in EDIT_ROLES and m.limited_to_assigned for m in memberships):
        return _(
            "You are limited to your assigned clients and this operator is not one of them: "
            "ask a manager to assign it to you."
        )
    return _read_only_role()


def create_refusal_reason(user: User, organization_id: int | None = None) -> str:
    """Why `user` may not add operators (or import) in the organization (None: in any)."""
    memberships = (
        [membership_for(user, organization_id)]
        if organization_id is not None
        else membership_list_for_user(user=user)
    )
    if any(m is not None and m.role in EDIT_ROLES and m.limited_to_assigned for m in memberships):
        return _(
            "You are limited to your assigned clients: ask a manager to add the operator "
            "(an import may add operators too, so a manager imports the file)."
        )
    return _read_only_role()


def ensure_signed_in(user: User) -> ProjectUser:
    """`user` as the signed-in project user it is; PermissionDeniedError for the anonymous user.

    For writes that record who did them or touch the user's own rows (preferences, feeds,
    comments, history); the pages and the API let only signed-in users that far.
    """
    if not _authenticated(user):
        raise PermissionDeniedError(_("Sign in first."))
    return user


def ensure_can_edit_operator(user: User, operator: Operator) -> None:
    if not can_edit_operator(user, operator):
        raise PermissionDeniedError(
            " ".join(
                (
                    _("You have read-only access to this operator."),
                    operator_refusal_reason(user, operator),
                )
            )
        )


def ensure_can_edit_in_organization(user: User, organization_id: int) -> None:
    if not can_edit_in_organization(user, organization_id):
        raise PermissionDeniedError(
            " ".join(
                (
                    _("Only managers and editors of the organization can add operators."),
                    create_refusal_reason(user, organization_id),
                )
            )
        )


def can_import(user: User, organization_id: int) -> bool:
    """An import may create operators anywhere in the organization: unrestricted editors and
    managers only (a member limited to assigned operators may not import)."""
    return can_edit_in_organization(user, organization_id)


def ensure_can_import(user: User, organization_id: int) -> None:
    if not can_import(user, organization_id):
        raise PermissionDeniedError(
            " ".join(
                (
                    _("Only managers and editors can import into the register."),
                    create_refusal_reason(user, organization_id),
                )
            )
        )


def can_manage_organization(user: User, organization_id: int | None) -> bool:
    """The organization's own settings and members: its managers (and superusers). Rows that
    belong to no organization (global defaults) are for superusers only."""
    if _superuser(user):
        return True
    if organization_id is None:
        return False
    m = membership_for(user, organization_id)
    return m is not None and m.role == Role.MANAGER


def ensure_can_manage_organization(user: User, organization_id: int | None) -> None:
    if not can_manage_organization(user, organization_id):
        raise PermissionDeniedError(_("Only the organization's managers can change this."))


def can_manage_members(user: User, organization_id: int) -> bool:
    """Inviting people into the organization and revoking invitations: its managers."""
    return can_manage_organization(user, organization_id)


def member_managed_organization_list(*, user: User) -> QuerySet[Organization]:
    """Organizations whose members the user manages (all of them for superusers)."""
    if _superuser(user):
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=managed_organization_ids(user=user))


def can_manage_webhooks(user: User, organization_id: int) -> bool:
    """Webhook endpoints hold secrets: the organization's managers only."""
    return can_manage_organization(user, organization_id)


def ensure_can_manage_webhooks(user: User, organization_id: int) -> None:
    if not can_manage_webhooks(user, organization_id):
        raise PermissionDeniedError(_("Only the organization's managers can manage webhooks."))


def can_use_personal_webhook(user: User, organization_id: int | None = None) -> bool:
    """A personal webhook (reminders sent to a URL the member chooses) is offered to the
    roles its organization lists in `personal_webhook_roles` (managers and editors by
    default). Without `organization_id`: in at least one of the user's organizations."""
    if _superuser(user):
        return True
    return any(
        m.role in (m.organization.personal_webhook_roles or [])
        for m in membership_list_for_user(user=user)
        if organization_id is None or m.organization_id == organization_id
    )


def ensure_can_use_personal_webhook(user: User) -> None:
    if not can_use_personal_webhook(user):
        raise PermissionDeniedError(_("Your role is not offered a personal webhook."))


def can_acknowledge(user: User, notification: Any) -> bool:
    """A notification is read and acknowledged by the person it was sent to, nobody else."""
    return _authenticated(user) and notification.user_id == user.pk


def ensure_can_acknowledge(user: User, notification: Any) -> None:
    if not can_acknowledge(user, notification):
        raise PermissionDeniedError(_("Only the recipient can acknowledge a notification."))


def acknowledgement_closes_escalation(user: User, organization_id: int) -> bool:
    """Whether the user's acknowledgement stops the organization's "not acknowledged"
    escalation: the organization decides by role (Organization.acknowledgement_roles;
    by default its managers and staff, not its clients)."""
    m = membership_for(user, organization_id)
    return m is not None and m.role in (m.organization.acknowledgement_roles or [])


def holds_reveal_permission(user: User) -> bool:
    """The user holds the permission to reveal ID numbers (superusers hold every one), with
    or without the second factor that using it needs."""
    return _authenticated(user) and user.has_perm(PII_REVEAL_PERMISSION)


def has_second_factor(user: User) -> bool:
    """The user has an active second factor (an authenticator app or a security key;
    recovery codes alone are not one)."""
    if not _authenticated(user):
        return False
    kinds = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    return Authenticator.objects.filter(user_id=user.pk, type__in=kinds).exists()


def can_reveal_pii(user: User) -> bool:
    """Revealing ID numbers needs the permission and an active second factor."""
    return holds_reveal_permission(user) and has_second_factor(user)
