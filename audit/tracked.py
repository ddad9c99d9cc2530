"""Which models django-auditlog records (create, update, delete), what it masks in their
diffs, and where each row's organization comes from.

One table, by model label, so this app needs no import of the apps above it. Personal data
and secrets are masked ("***"): every EncryptedTextField automatically, and the fields named
here (blind indexes, phones, e-mail addresses of clients' responsible persons).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from auditlog.registry import auditlog
from django.apps import apps
from django.db import models

from core.pii import EncryptedTextField

# Never stored in a diff, whatever the model (tokens, hashes, secrets).
ALWAYS_MASKED = frozenset({"password", "token_hash", "secret", "key", "digest"})
# Noise: timestamps that change on every save.
ALWAYS_EXCLUDED = frozenset({"created_at", "updated_at", "modified_at", "last_used_at"})


@dataclass(frozen=True)
class Tracked:
    label: str
    # Attribute path from the row to its organization's id; "" for rows of no organization.
    organization: str = "organization_id"
    mask: tuple[str, ...] = ()
    exclude: tuple[str, ...] = field(default=())


TRACKED: tuple[Tracked, ...] = (
    # accounts: memberships (roles) and the organizations' own policy fields
    Tracked("accounts.Organization", organization="pk"),
    Tracked("accounts.Membership"),
    # the register
    Tracked("miniprograms.Operator"),
    Tracked(
        "miniprograms.ResponsiblePerson",
        mask=("id_number_encrypted", "id_number_hash", "mobile", "email", "emergency_contact"),
    ),
    Tracked("miniprograms.MiniProgram"),
    Tracked("miniprograms.Domain"),
    Tracked("miniprograms.PreApproval"),
    Tracked("miniprograms.IcpLicence"),
    Tracked("miniprograms.RecordStateChange"),
    # filings and the children users write
    Tracked("filings.FilingApplication"),
    Tracked("filings.FilingComment", organization="filing.organization_id"),
    Tracked("filings.FilingStatusChange", organization="filing.organization_id"),
    Tracked("filings.RejectionReason", organization="status_change.filing.organization_id"),
    # documents (ID scans among them)
    Tracked("documents.Document"),
    Tracked("documents.LicenceAnnualReport"),
    # monitoring: evidence that a filed service's record and display were verified
    Tracked("monitoring.ServiceVerification"),
    Tracked("monitoring.MiitLookup"),
    # notifications: webhooks (their URL holds a secret) and reminder ladders
    Tracked("notifications.WebhookEndpoint", mask=("url",)),
    Tracked("notifications.ReminderLadder"),
    # compliance rules and the working-day calendar: shared reference data, no organization
    Tracked("compliance.ComplianceRule", organization=""),
    Tracked("compliance.CalendarOverride", organization=""),
    Tracked("compliance.KnownCalendarYear", organization=""),
    # monitoring: the display checker's link targets, cadences and checks (not their pages)
    Tracked("monitoring.LinkTarget", organization=""),
    Tracked("monitoring.MonitoringSettings"),
    Tracked("monitoring.DisplayCheck", exclude=("html_gz", "numbers", "redirects")),
    # monitoring after approval
    Tracked("monitoring.ProviderNotice"),
    # connectors: accounts (credentials are an EncryptedTextField: masked), the register rows
    # each vendor object is tied to, and findings people resolve. Lease and schedule columns
    # change on every sync and say nothing a person did.
    Tracked(
        "connectors.ConnectorAccount",
        exclude=("lease_until", "lease_token", "next_sync_at", "last_synced_at"),
    ),
    Tracked(
        "connectors.ConnectorLink",
        organization="account.organization_id",
        exclude=("seen_at", "vendor_state", "applied_digest", "applied_at"),
    ),
    Tracked("connectors.ConnectorFinding", organization="account.organization_id"),
)

_BY_LABEL: dict[str, Tracked] = {t.label.lower(): t for t in TRACKED}
# Targets of access events that are not tracked for changes but have an organization.
_OTHER_PATHS: dict[str, str] = {"accounts.user": ""}


def masked_fields(model: type[models.Model], extra: tuple[str, ...] = ()) -> list[str]:
    names = {f.name for f in model._meta.concrete_fields}
    encrypted = {f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)}
    return sorted(encrypted | (names & (ALWAYS_MASKED | set(extra))))


def register_tracked_models() -> None:
    """Register every model of TRACKED with django-auditlog (at start-up, once)."""
    for tracked in TRACKED:
        model = apps.get_model(tracked.label)
        if auditlog.contains(model):
            continue
        # The row's own columns only (a create would otherwise list every reverse relation).
        excluded = ALWAYS_EXCLUDED | set(tracked.exclude)
        auditlog.register(
            model,
            include_fields=[f.name for f in model._meta.concrete_fields if f.name not in excluded],
            mask_fields=masked_fields(model, tracked.mask),
        )


def _follow(obj: Any, path: str) -> Any:
    try:
        return reduce(getattr, path.split("."), obj)
    except (AttributeError, models.ObjectDoesNotExist):
        return None


def organization_id_of(obj: models.Model | None) -> int | None:
    """The organization a row belongs to (None: none, or not known)."""
    if obj is None:
        return None
    label = obj._meta.label_lower
    tracked = _BY_LABEL.get(label)
    if tracked is not None:
        path = tracked.organization
    else:
        path = _OTHER_PATHS.get(label, "organization_id")
    if not path:
        return None
    value = _follow(obj, path)
    return value if isinstance(value, int) else None
