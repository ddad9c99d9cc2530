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

from ._base import EDIT_ROLES, PII_REVEAL_PERMISSION
from .audit import (
    audit_log_organization_ids,
    can_view_audit_log,
)
from .checks import (
    acknowledgement_closes_escalation,
    can_acknowledge,
    can_edit_in_organization,
    can_edit_operator,
    can_import,
    can_manage_members,
    can_manage_organization,
    can_manage_webhooks,
    can_reveal_pii,
    can_use_personal_webhook,
    create_refusal_reason,
    ensure_can_acknowledge,
    ensure_can_edit_in_organization,
    ensure_can_edit_operator,
    ensure_can_import,
    ensure_can_manage_organization,
    ensure_can_manage_webhooks,
    ensure_can_use_personal_webhook,
    ensure_signed_in,
    has_second_factor,
    holds_reveal_permission,
    member_managed_organization_list,
    operator_refusal_reason,
    user_may_create_operators_somewhere,
    user_may_edit_somewhere,
)
from .memberships import (
    membership_cache_clear,
    membership_for,
    membership_list_for_user,
)
from .recipients import (
    is_recipient,
    recipient_memberships,
    recipient_q,
)
from .scope import (
    full_organization_ids,
    managed_organization_ids,
    operator_edit_q,
    operator_scope_q,
    organization_list_for_user,
)

__all__ = [
    "EDIT_ROLES",
    "PII_REVEAL_PERMISSION",
    "acknowledgement_closes_escalation",
    "audit_log_organization_ids",
    "can_acknowledge",
    "can_edit_in_organization",
    "can_edit_operator",
    "can_import",
    "can_manage_members",
    "can_manage_organization",
    "can_manage_webhooks",
    "can_reveal_pii",
    "can_use_personal_webhook",
    "can_view_audit_log",
    "create_refusal_reason",
    "ensure_can_acknowledge",
    "ensure_can_edit_in_organization",
    "ensure_can_edit_operator",
    "ensure_can_import",
    "ensure_can_manage_organization",
    "ensure_can_manage_webhooks",
    "ensure_can_use_personal_webhook",
    "ensure_signed_in",
    "full_organization_ids",
    "has_second_factor",
    "holds_reveal_permission",
    "is_recipient",
    "managed_organization_ids",
    "member_managed_organization_list",
    "membership_cache_clear",
    "membership_for",
    "membership_list_for_user",
    "operator_edit_q",
    "operator_refusal_reason",
    "operator_scope_q",
    "organization_list_for_user",
    "recipient_memberships",
    "recipient_q",
    "user_may_create_operators_somewhere",
    "user_may_edit_somewhere",
]
