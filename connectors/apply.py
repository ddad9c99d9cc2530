"""Apply what a connector learned, only through the filing and register services.

One object at a time, in one transaction: the link row is locked, so of two syncs of one
account the second waits and then sees the first's digest (each change is applied once). The
application moves along `icp.vendor_states.path_to`, one `filing_transition` per step, with
`acting_as("connector:<kind>")` so the timeline and the audit log name the connector. What
the table cannot reach, a number that fails its checks, an application the operator's other
order blocks: a finding, never an overwrite; the walk is all or nothing (a savepoint).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.context import acting_as
from core.exceptions import ApplicationError
from filings.models import FilingApplication, FilingKind
from filings.services import filing_create, filing_transition
from icp.vendor_states import path_to
from icp.workflow import IN_FLIGHT, REJECTED, FilingStatus
from miniprograms.models import Domain, MiniProgram, RecordSource, RecordState
from miniprograms.services.record import record_state_change

from .models import ConnectorAccount, ConnectorFinding, ConnectorLink, FindingCode, LinkKind
from .registry import get as get_kind
from .types import VendorFiling

logger = logging.getLogger(__name__)

TERMINAL = frozenset({FilingStatus.APPROVED, FilingStatus.WITHDRAWN})


@dataclass
class Applied:
    changes: int = 0
    findings: int = 0
    linked: bool = True
    # False when the state ended in a finding: it is tried again on the next sync (the block,
    # e.g. the operator's other order, may be gone by then), so its digest is not kept.
    settled: bool = True


def _find_subject(account: ConnectorAccount, state: VendorFiling) -> MiniProgram | Domain | None:
    """The register row of the vendor object, in the account's organization."""
    if state.kind == LinkKind.MINIPROGRAM:
        return (
            MiniProgram.objects.filter(
                organization_id=account.organization_id, appid=state.external_id
            )
            .select_related("operator")
            .order_by("pk")
            .first()
        )
    if state.kind == LinkKind.DOMAIN:
        qs = Domain.objects.filter(organization_id=account.organization_id, name=state.external_id)
        if account.operator_id:
            qs = qs.filter(operator_id=account.operator_id)
        return qs.select_related("operator").order_by("pk").first()
    return None


def open_finding(
    account: ConnectorAccount,
    link: ConnectorLink | None,
    code: str,
    message: str,
    details: dict | None = None,
) -> bool:
    """Open a finding unless the same kind is already open on the object; True if new."""
    existing = ConnectorFinding.objects.filter(
        account=account, link=link, code=code, resolved_at__isnull=True
    ).first()
    if existing is not None:
        if existing.message != message:
            existing.message = message
            existing.details = details or {}
            existing.save(update_fields=["message", "details"])
        return False
    ConnectorFinding.objects.create(
        account=account, link=link, code=code, message=message, details=details or {}
    )
    return True


def resolve_findings(link: ConnectorLink, *codes: str) -> None:
    ConnectorFinding.objects.filter(link=link, code__in=codes, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def _current_filing(link: ConnectorLink, subject, channel: str) -> FilingApplication | None:
    field = "miniprogram" if isinstance(subject, MiniProgram) else "domain"
    if link.filing_id is not None:
        filing = FilingApplication.objects.filter(pk=link.filing_id, **{field: subject}).first()
        if filing is not None:
            return filing
    return (
        FilingApplication.objects.filter(**{field: subject}, channel=channel)
        .exclude(status=FilingStatus.WITHDRAWN)
        .order_by("-created_at", "-pk")
        .first()
    )


def _new_kind(subject) -> str:
    if subject.icp_number:
        return FilingKind.CHANGE
    if subject.operator.entity_number:
        return FilingKind.ADD_SERVICE
    return FilingKind.NEW_FILING


def _note(account: ConnectorAccount, state: VendorFiling) -> str:
    # Stored text, language-neutral: the kind's code and the vendor's own codes. Steps walked
    # in one sync share the note of the state that was read.
    return f"{account.kind}: {state.vendor_status}"


def _walk(
    account: ConnectorAccount, link: ConnectorLink, subject, state: VendorFiling
) -> tuple[int, FilingApplication | None]:
    """Move (or create) the application to the vendor's state; (changes, application)."""
    kind = get_kind(account.kind)
    target = state.target
    filing = _current_filing(link, subject, kind.channel)
    if target is None:
        raise ValueError("a not-filed state has no application to walk")
    if (
        filing is None
        and target == FilingStatus.APPROVED
        and subject.record_state == RecordState.FILED
        and subject.icp_number
        and state.number in ("", subject.icp_number)
    ):
        return 0, None  # on record here already (filed by hand): no application to invent
    if filing is not None and filing.status in TERMINAL:
        same = filing.status == FilingStatus.APPROVED and target == FilingStatus.APPROVED
        if same or filing.status == target:
            return 0, filing
        filing = None  # a new order at the vendor: a new application here
    changes = 0
    if filing is None:
        filing = filing_create(
            user=None,
            operator=subject.operator,
            kind=_new_kind(subject),
            channel=kind.channel,
            miniprogram=subject if isinstance(subject, MiniProgram) else None,
            domain=subject if isinstance(subject, Domain) else None,
            reference=state.reference[:100],
        )
        changes += 1
    steps = path_to(filing.status, target, kind=filing.kind, channel=filing.channel)
    if steps is None:
        raise _UnreachableError(filing)
    for step in steps:
        reasons = [_complete(r.as_reason(), account, state) for r in state.reasons]
        reasons = reasons if step in REJECTED else []
        if step in REJECTED and not reasons:
            reasons = [{"field": "other", "field_text": account.kind, "error": state.vendor_status}]
        filing = filing_transition(
            filing_id=filing.pk,
            to_status=step,
            actor=None,
            note=_note(account, state),
            icp_number=state.number if step == FilingStatus.APPROVED else "",
            reasons=reasons,
            submitted_elsewhere=True,
        )
        changes += 1
    return changes, filing


def _complete(reason: dict[str, str], account: ConnectorAccount, state: VendorFiling) -> dict:
    """A vendor reason the filing service accepts: a problem and, for "other", a field name
    (WeChat may leave `error` or `key_name` empty; the rejection must still be recorded)."""
    reason = dict(reason)
    reason["error"] = reason.get("error") or reason.get("suggestion") or state.vendor_status
    if reason.get("field") in ("", "other"):
        reason["field"] = "other"
        reason["field_text"] = reason.get("field_text") or account.kind
    return reason


class _UnreachableError(Exception):
    def __init__(self, filing: FilingApplication) -> None:
        super().__init__(filing.status)
        self.filing = filing


def _not_filed(account: ConnectorAccount, link: ConnectorLink, subject, state) -> tuple[int, int]:
    """The vendor has no application and no record: (changes, findings)."""
    kind = get_kind(account.kind)
    filing = _current_filing(link, subject, kind.channel)
    previous = link.vendor_state.get("canceling") if link.vendor_state else False
    changes = findings = 0
    if previous and subject.record_state == RecordState.FILED:
        # The cancellation WeChat showed in progress went through: the record is cancelled.
        if record_state_change(
            service=subject,
            to_state=RecordState.CANCELLED,
            source=RecordSource.CONNECTOR,
            actor=None,
            note=f"{account.kind}: {state.vendor_status}",
        ):
            changes += 1
    elif filing is not None and filing.status in IN_FLIGHT:
        findings += open_finding(
            account,
            link,
            FindingCode.NOT_FILED,
            f"{account.kind}: {state.vendor_status} {state.not_filed_reason}; #{filing.pk} "
            f"{filing.status}",
            {"filing": filing.pk, "status": filing.status},
        )
    return changes, findings


def apply_state(account: ConnectorAccount, state: VendorFiling) -> Applied:
    """Apply one object's vendor state; idempotent (the same state twice changes nothing)."""
    with transaction.atomic(), acting_as(account.actor_label):
        locked = ConnectorLink.objects.select_for_update(of=("self",)).select_related(
            "miniprogram__operator", "domain__operator"
        )
        key = {"account": account, "kind": state.kind, "external_id": state.external_id}
        link = locked.filter(**key).first()
        if link is None:
            created, _created = ConnectorLink.objects.get_or_create(
                **key, defaults={"label": state.label[:200]}
            )
            link = locked.get(pk=created.pk)
        now = timezone.now()
        link.seen_at, link.gone_at = now, None
        if state.label:
            link.label = state.label[:200]
        digest = state.digest()
        result = Applied()
        subject = link.subject
        if subject is None:
            subject = _find_subject(account, state)
            if subject is not None:
                if isinstance(subject, MiniProgram):
                    link.miniprogram = subject
                else:
                    link.domain = subject
                resolve_findings(link, FindingCode.UNLINKED)
        if subject is None:
            result.linked = False
            result.findings += open_finding(
                account,
                link,
                FindingCode.UNLINKED,
                f"{state.external_id} {state.label}".strip(),
                {"external_id": state.external_id, "label": state.label},
            )
            link.vendor_state = state.raw
            link.save()
            return result
        if link.applied_digest == digest:
            link.save(update_fields=["seen_at", "gone_at", "label", "miniprogram", "domain"])
            return result
        result = _apply_to_subject(account, link, subject, state, result)
        link.vendor_state = {**state.raw, "canceling": state.canceling}
        link.applied_digest = digest if result.settled else ""
        link.applied_at = now
        link.save()
        return result


def _apply_to_subject(
    account: ConnectorAccount,
    link: ConnectorLink,
    subject,
    state: VendorFiling,
    result: Applied,
) -> Applied:
    open_codes = set(
        ConnectorFinding.objects.filter(link=link, resolved_at__isnull=True).values_list(
            "code", flat=True
        )
    )

    def resolve(*codes: str) -> None:
        if open_codes.intersection(codes):
            resolve_findings(link, *codes)

    if state.canceling:
        result.findings += open_finding(
            account, link, FindingCode.CANCELING, f"{account.kind}: {state.vendor_status}"
        )
    else:
        resolve(FindingCode.CANCELING)
    if state.banned:
        result.findings += open_finding(
            account, link, FindingCode.BANNED, f"{account.kind}: {state.vendor_status}"
        )
    else:
        resolve(FindingCode.BANNED)
    if state.target is None:
        changes, findings = _not_filed(account, link, subject, state)
        result.changes += changes
        result.findings += findings
        return result
    resolve(FindingCode.NOT_FILED)
    try:
        with transaction.atomic():
            changes, filing = _walk(account, link, subject, state)
    except _UnreachableError as exc:
        result.findings += open_finding(
            account,
            link,
            FindingCode.UNREACHABLE_STATE,
            f"{account.kind}: {state.vendor_status}; #{exc.filing.pk} {exc.filing.status}",
            {"filing": exc.filing.pk, "status": exc.filing.status, "target": state.target},
        )
        result.settled = False
        return result
    except ValidationError as exc:
        code = (
            FindingCode.BAD_NUMBER
            if "icp_number" in getattr(exc, "message_dict", {})
            else FindingCode.UNREACHABLE_STATE
        )
        result.findings += open_finding(
            account,
            link,
            code,
            f"{account.kind}: {state.vendor_status} {state.number}; " + "; ".join(exc.messages),
            {"number": state.number, "target": state.target},
        )
        result.settled = False
        return result
    except ApplicationError as exc:
        # The operator's other order holds its slot (主办者冲突), a readiness refusal…
        result.findings += open_finding(
            account,
            link,
            FindingCode.UNREACHABLE_STATE,
            f"{account.kind}: {state.vendor_status}; {exc}",
            {"target": state.target},
        )
        result.settled = False
        return result
    resolve(FindingCode.UNREACHABLE_STATE, FindingCode.BAD_NUMBER)
    if filing is not None:
        link.filing = filing
    result.changes += changes
    return result
