"""Writes of connector accounts and what people do with their findings.

Connector accounts hold an organization's vendor credentials: only its managers configure
them (create, edit, delete, check, sync now), like webhook endpoints. Every write takes the
row the caller already scoped through `connectors.selectors` and checks the role here.
Messages stored on runs and accounts come from ConnectorError, whose text is safe (no
secrets) by contract.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.access import (
    ensure_can_edit_operator,
    ensure_can_manage_organization,
    ensure_signed_in,
    managed_organization_ids,
)
from accounts.models import Organization
from accounts.types import User
from core.exceptions import ConflictError
from miniprograms.models import Domain, MiniProgram, Operator
from miniprograms.services import miniprogram_create

from . import registry
from .errors import ConnectorError, CredentialError
from .models import (
    AccountHealth,
    ConnectorAccount,
    ConnectorFinding,
    ConnectorLink,
    FindingCode,
    LinkKind,
    SyncRun,
    SyncStatus,
    SyncTrigger,
)
from .tasks import sync_task

logger = logging.getLogger(__name__)

ACCOUNT_FIELDS = ("name", "cadence_minutes", "enabled")


def _kind(code: str) -> registry.ConnectorKind:
    try:
        return registry.get(code)
    except KeyError:
        raise ValidationError(
            {"kind": [_("Choose a connector this installation offers.")]}
        ) from None


def _organization_for(
    user: User, organization: Organization | None, operator: Operator | None
) -> Organization:
    if organization is not None:
        return organization
    if operator is not None:
        return operator.organization
    managed = managed_organization_ids(user=user)
    if len(managed) == 1:
        return Organization.objects.get(pk=managed[0])
    raise ValidationError({"organization": [_("Choose the organization.")]})


def _check_operator(
    kind: registry.ConnectorKind, organization_id: int, operator: Operator | None
) -> None:
    if kind.needs_operator and operator is None:
        raise ValidationError({"operator": [_("Choose the filing entity whose account this is.")]})
    if operator is not None and operator.organization_id != organization_id:
        raise ValidationError({"operator": [_("Choose a filing entity of this organization.")]})


def _save(account: ConnectorAccount) -> ConnectorAccount:
    try:
        account.full_clean(exclude=["credentials"])
    except ValidationError as exc:
        if "__all__" in getattr(exc, "message_dict", {}):
            raise ValidationError(
                {"name": [_("This organization already has a connector with this name.")]}
            ) from None
        raise
    account.save()
    return account


@transaction.atomic
def account_create(
    *,
    user: User,
    kind: str,
    name: str,
    credentials: dict[str, Any],
    organization: Organization | None = None,
    operator: Operator | None = None,
    cadence_minutes: int = 60,
    enabled: bool = True,
) -> ConnectorAccount:
    """Add a connector account to an organization the user manages."""
    connector = _kind(kind)
    org = _organization_for(user, organization, operator)
    ensure_can_manage_organization(user, org.pk)
    _check_operator(connector, org.pk, operator)
    values = connector.clean_credentials(credentials, current={})
    account = ConnectorAccount(
        organization=org,
        kind=kind,
        name=name,
        operator=operator if connector.needs_operator else None,
        cadence_minutes=cadence_minutes,
        enabled=enabled,
        created_by=ensure_signed_in(user),
    )
    account.set_credential_values(values)
    return _save(account)


@transaction.atomic
def account_update(
    *,
    user: User,
    account: ConnectorAccount,
    credentials: dict[str, Any] | None = None,
    **fields: Any,
) -> ConnectorAccount:
    """Change an account; a credential left empty keeps the stored value. The kind and the
    organization do not change (delete and create another).
    """
    ensure_can_manage_organization(user, account.organization_id)
    connector = _kind(account.kind)
    for name in ACCOUNT_FIELDS:
        if name in fields:
            setattr(account, name, fields[name])
    if "operator" in fields and connector.needs_operator:
        _check_operator(connector, account.organization_id, fields["operator"])
        account.operator = fields["operator"]
    if credentials is not None:
        current = account.credential_values()
        # Pages never render a stored value, not even an identifier: any field left empty
        # keeps what is stored (the kind keeps secrets itself).
        typed = {k: (v or "").strip() for k, v in credentials.items()}
        for f in connector.credential_fields:
            if not typed.get(f.name) and current.get(f.name):
                typed[f.name] = str(current[f.name])
        values = connector.clean_credentials(typed, current=current)
        if values != account.credential_values():
            account.set_credential_values(values)
            # New credentials have not been checked yet.
            account.health, account.health_message = AccountHealth.UNKNOWN, ""
    return _save(account)


@transaction.atomic
def account_delete(*, user: User, account: ConnectorAccount) -> None:
    """Delete an account with its runs, links and findings (the register keeps its history)."""
    ensure_can_manage_organization(user, account.organization_id)
    account.delete()


def _ensure_enabled(account: ConnectorAccount) -> None:
    """A switched-off connector calls nothing at the vendor, not even on request (the demo's
    made-up accounts stay off).
    """
    if not account.enabled:
        raise ConflictError(_("This connector is switched off: switch it on to check or sync it."))


def check_credentials(*, user: User, account: ConnectorAccount) -> tuple[bool, str]:
    """Make the kind's cheapest call; a run (trigger "check") and the account's health say
    how it went. (ok, message).
    """
    ensure_can_manage_organization(user, account.organization_id)
    _ensure_enabled(account)
    connector = _kind(account.kind)
    run = SyncRun.objects.create(account=account, trigger=SyncTrigger.CHECK)
    try:
        message = str(connector.check_credentials(connector.client(account)))
    except CredentialError as exc:
        ok, status, health, message = (
            False,
            SyncStatus.CREDENTIAL_ERROR,
            AccountHealth.CREDENTIAL_ERROR,
            exc.message,
        )
    except ConnectorError as exc:
        ok, status, health, message = False, SyncStatus.FAILED, AccountHealth.FAILING, exc.message
    except NotImplementedError:
        ok, status, health = False, SyncStatus.FAILED, AccountHealth.FAILING
        message = _("This connector cannot check its credentials yet.")
    except Exception:
        # A bug or an answer of a shape nobody expected: a failed check, not a 500.
        logger.exception("connector %s: credential check failed", account.pk)
        ok, status, health = False, SyncStatus.FAILED, AccountHealth.FAILING
        message = _("The check failed unexpectedly; the details are in the server log.")
    else:
        ok, status, health = True, SyncStatus.SUCCEEDED, AccountHealth.OK
    now = timezone.now()
    run.status, run.message, run.finished_at = status, message[:4000], now
    run.save(update_fields=["status", "message", "finished_at"])
    account.health, account.health_message, account.checked_at = health, message[:2000], now
    account.save(update_fields=["health", "health_message", "checked_at", "updated_at"])
    logger.info("connector %s: credentials checked, %s", account.pk, status)
    return ok, message


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def sync_now(*, user: User, account: ConnectorAccount) -> SyncRun | None:
    """Queue a manual sync once the transaction commits (the run appears when it starts);
    refused while a sync holds the account or the vendor's quota holds it back.
    """
    ensure_can_manage_organization(user, account.organization_id)
    _ensure_enabled(account)
    now = timezone.now()
    fresh = ConnectorAccount.objects.filter(pk=account.pk).values("lease_until", "backoff_until")[0]
    if fresh["lease_until"] is not None and fresh["lease_until"] > now:
        raise ConflictError(
            _("A sync of this connector is running (until %(until)s at the latest).")
            % {"until": _when(fresh["lease_until"])},
            extra={"running_until": fresh["lease_until"].isoformat()},
        )
    if fresh["backoff_until"] is not None and fresh["backoff_until"] > now:
        raise ConflictError(
            _("The vendor's quota is spent: this connector waits until %(until)s.")
            % {"until": _when(fresh["backoff_until"])},
            extra={"backing_off_until": fresh["backoff_until"].isoformat()},
        )
    account_id = account.pk
    transaction.on_commit(lambda: sync_task.delay(account_id=account_id, trigger="manual"))
    return None


def _resolve_unlinked(link: ConnectorLink) -> None:
    ConnectorFinding.objects.filter(
        link=link, code=FindingCode.UNLINKED, resolved_at__isnull=True
    ).update(resolved_at=timezone.now())


@transaction.atomic
def link_object(
    *,
    user: User,
    link: ConnectorLink,
    miniprogram: MiniProgram | None = None,
    domain: Domain | None = None,
) -> ConnectorLink:
    """Tie a vendor object to its register row; the next sync applies its state (the
    applied digest is cleared).
    """
    account = link.account
    ensure_can_manage_organization(user, account.organization_id)
    subject: MiniProgram | Domain | None = (
        miniprogram if link.kind == LinkKind.MINIPROGRAM else domain
    )
    if subject is None:
        raise ValidationError(_("Choose the register row of this vendor object."))
    if subject.organization_id != account.organization_id:
        raise ValidationError(_("Choose a register row of the connector's organization."))
    ensure_can_edit_operator(user, subject.operator)
    link = ConnectorLink.objects.select_for_update().get(pk=link.pk)
    if isinstance(subject, MiniProgram):
        link.miniprogram, link.domain = subject, None
    else:
        link.domain, link.miniprogram = subject, None
    link.applied_digest = ""
    link.save(update_fields=["miniprogram", "domain", "applied_digest"])
    _resolve_unlinked(link)
    return link


@transaction.atomic
def create_from_link(
    *, user: User, link: ConnectorLink, operator: Operator, name: str = ""
) -> ConnectorLink:
    """Create the missing mini-program (WeChat, the link's AppID) in the register through its
    own service, then link it.
    """
    account = link.account
    ensure_can_manage_organization(user, account.organization_id)
    if link.kind != LinkKind.MINIPROGRAM:
        raise ValidationError(_("Only a mini-program can be created from a vendor object."))
    if link.subject is not None:
        raise ValidationError(_("This vendor object is already in the register."))
    if operator.organization_id != account.organization_id:
        raise ValidationError({"operator": [_("Choose an operator of this organization.")]})
    mp = miniprogram_create(
        user=user,
        operator=operator,
        name=(name or link.label or link.external_id)[:100],
        platform="wechat",
        appid=link.external_id,
    )
    return link_object(user=user, link=link, miniprogram=mp)


@transaction.atomic
def finding_resolve(*, user: User, finding: ConnectorFinding) -> ConnectorFinding:
    """Mark a finding looked after; the connector opens it again if it sees the same."""
    ensure_can_manage_organization(user, finding.account.organization_id)
    if finding.resolved_at is None:
        finding.resolved_at = timezone.now()
        finding.save(update_fields=["resolved_at"])
        if finding.link_id is not None:
            # The next sync applies the vendor's state again (and reopens what still holds).
            ConnectorLink.objects.filter(pk=finding.link_id).update(applied_digest="")
    return finding
