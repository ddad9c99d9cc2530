"""The one door for tenancy and roles: who may see what, and who may do what.

Every selector, service, page, task and admin asks here; nothing else restates the rule.

- Read scope: an unrestricted membership sees its whole organization; a membership limited to
  assigned operators (agency staff with assigned clients, client users) sees only those.
  Superusers see everything; anonymous users nothing.
- Write scope: managers and editors write what they see; creating operators or importing
  into an organization needs an unrestricted manager or editor.
- Managers alone manage their organization (members, webhook endpoints, reminder ladders);
  a notification is acknowledged by its own user; whose acknowledgement stops an escalation
  is the organization's choice of roles;
  revealing ID numbers needs the `miniprograms.reveal_pii` permission and a second factor.
- Recipients: a member is told about an operator's deadline when they could see the operator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from allauth.mfa.models import Authenticator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization, Role
from accounts.types import User
from core.exceptions import PermissionDeniedError

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from accounts.models import User as ProjectUser
    from miniprograms.models import Operator

EDIT_ROLES = frozenset({Role.MANAGER, Role.EDITOR})
PII_REVEAL_PERMISSION = "miniprograms.reveal_pii"
_CACHE_ATTR = "_access_memberships"


def _authenticated(user: User | None) -> TypeIs[ProjectUser]:
    return bool(getattr(user, "is_authenticated", False))


def _superuser(user: User | None) -> bool:
    return bool(getattr(user, "is_superuser", False))


# --- memberships (cached on the user object for the request) ----------------------------------


def membership_list_for_user(*, user: User) -> list[Membership]:
    """The user's own memberships, read once per user object (i.e. once per request)."""
    if not _authenticated(user):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organization"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def membership_for(user: User, organization_id: int) -> Membership | None:
    """The user's membership of one organization, or None."""
    for m in membership_list_for_user(user=user):
        if m.organization_id == organization_id:
            return m
    return None


def membership_cache_clear(user: User) -> None:
    """Forget the cached memberships (after they changed within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# --- read scope -------------------------------------------------------------------------------


def organization_list_for_user(*, user: User) -> QuerySet[Organization]:
    """Organizations the user belongs to (all of them for superusers)."""
    if not _authenticated(user):
        return Organization.objects.none()
    if _superuser(user):
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user).distinct()


def _scope_q(
    memberships: Iterable[Mapping[str, Any]], prefix: str, organization_path: str | None = None
) -> Q:
    rows = list(memberships)
    full_orgs = [m["organization_id"] for m in rows if not m["limited_to_assigned"]]
    limited_ids = [m["id"] for m in rows if m["limited_to_assigned"]]
    org = organization_path or f"{prefix}organization_id"
    q = Q(**{f"{org}__in": full_orgs}) if full_orgs else Q(pk__in=[])
    if limited_ids:
        # A subquery, not a join: joining the M2M would duplicate rows.
        assigned = Membership.operators.through.objects.filter(
            membership_id__in=limited_ids
        ).values("operator_id")
        q |= Q(**{f"{prefix}id__in": assigned})
    return q


def operator_scope_q(*, user: User, prefix: str = "", organization_path: str | None = None) -> Q:
    """The Q that limits operator-owned rows to what `user` may see.

    `prefix` is the path from the queried model to its operator (e.g. "operator__").
    `organization_path` names the model's own copy of the operator's organization (e.g.
    "organization_id"), which spares a join to the operator.
    Unrestricted memberships see their whole organization; limited ones (agency staff with
    assigned clients, client read-only users) see only their assigned operators.
    The memberships are read once per user object (membership_list_for_user): a page builds
    this Q for every selector it calls.
    """
    if not _authenticated(user):
        return Q(pk__in=[])
    if _superuser(user):
        return Q()
    return _scope_q(_scope_rows(membership_list_for_user(user=user)), prefix, organization_path)


def _scope_rows(memberships: Iterable[Membership]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "organization_id": m.organization_id,
            "limited_to_assigned": m.limited_to_assigned,
        }
        for m in memberships
    ]


def operator_edit_q(*, user: User, prefix: str = "") -> Q:
    """Like operator_scope_q, restricted to the memberships that may write (manager, editor)."""
    if not _authenticated(user):
        return Q(pk__in=[])
    if _superuser(user):
        return Q()
    editing = [m for m in membership_list_for_user(user=user) if m.role in EDIT_ROLES]
    return _scope_q(_scope_rows(editing), prefix)


def full_organization_ids(*, user: User) -> list[int]:
    """Organizations the user sees in full (memberships not limited to assigned operators)."""
    return [
        m.organization_id for m in membership_list_for_user(user=user) if not m.limited_to_assigned
    ]


def managed_organization_ids(*, user: User) -> list[int]:
    """Organizations where the user is a manager."""
    return [
        m.organization_id for m in membership_list_for_user(user=user) if m.role == Role.MANAGER
    ]


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


# --- recipients -------------------------------------------------------------------------------


def recipient_q(*, operator_id: int, prefix: str = "") -> Q:
    """Memberships entitled to hear about `operator_id` (same rule as the read scope).

    `prefix` is the path from the queried model to the membership (e.g. "memberships__").
    The organization is matched by the caller.
    """
    assigned = Membership.operators.through.objects.filter(operator_id=operator_id)
    return Q(**{f"{prefix}limited_to_assigned": False}) | Q(
        **{f"{prefix}id__in": assigned.values("membership_id")}
    )


def recipient_memberships(
    *, organization_id: int, operator_id: int, roles: Iterable[str]
) -> QuerySet[Membership]:
    """Active members with one of `roles` who may see the operator: those told about it."""
    return (
        Membership.objects.filter(
            organization_id=organization_id, role__in=list(roles), user__is_active=True
        )
        .filter(recipient_q(operator_id=operator_id))
        .order_by("user_id")
    )


def is_recipient(*, user_id: int, organization_id: int, operator_id: int) -> bool:
    """Is the user (still) entitled to hear about the operator? Rechecked at delivery time."""
    return (
        Membership.objects.filter(user_id=user_id, organization_id=organization_id)
        .filter(recipient_q(operator_id=operator_id))
        .exists()
    )


# --- audit log --------------------------------------------------------------------------------


def audit_log_organization_ids(*, user: User) -> list[int] | None:
    """Organizations whose audit log the user may read: None means every entry (superusers,
    including entries of no organization); [] nothing. Managers with the whole organization
    in view read their organization's log; nobody else reads one."""
    if not _authenticated(user):
        return []
    if _superuser(user):
        return None
    return [
        m.organization_id
        for m in membership_list_for_user(user=user)
        if m.role == Role.MANAGER and not m.limited_to_assigned
    ]


def can_view_audit_log(user: User, organization_id: int | None = None) -> bool:
    """May the user read the audit log (of `organization_id`, or of some organization)?"""
    ids = audit_log_organization_ids(user=user)
    if ids is None:
        return True
    return bool(ids) if organization_id is None else organization_id in ids
