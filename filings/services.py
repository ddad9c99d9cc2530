"""Writes to filing applications. `filing_transition` is the only place a status changes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.access import can_manage_organization, ensure_can_edit_operator, ensure_signed_in
from accounts.types import User
from audit.context import acting_label
from core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from core.idempotency import idempotent_create
from core.models import clean_field_text
from icp import numbers
from icp.readiness import Gap
from icp.workflow import REJECTED, allowed_targets
from miniprograms.models import Domain, MiniProgram, Operator, RecordSource, RecordState
from miniprograms.services.record import record_state_change

from .models import (
    FilingApplication,
    FilingComment,
    FilingKind,
    FilingStatus,
    FilingStatusChange,
    RejectionReason,
)
from .readiness import filing_readiness
from .reasons import clean_reasons
from .selectors import filing_qs_select_for_update
from .signals import filing_transitioned


class InvalidTransition(ConflictError):  # noqa: N818 - reads as the domain term
    """The requested status is not reachable from the current one."""


class NotReady(ApplicationError):  # noqa: N818 - reads as the domain term
    """Submission refused: the readiness check lists gaps (`extra["missing"]`)."""

    def __init__(self, gaps: list[Gap]) -> None:
        super().__init__(
            _(
                "This application is not ready to submit: %(n)d thing(s) missing. Complete them, "
                "or a manager may submit it anyway with a reason."
            )
            % {"n": len(gaps)},
            extra={"missing": [g.as_dict() for g in gaps]},
        )
        self.gaps = gaps


def _conflict_message() -> str:
    return _(
        "This operator already has an application in progress; finish or withdraw it before "
        "submitting another (主办者冲突)."
    )


@transaction.atomic
def filing_create(
    *,
    user: User | None,
    operator: Operator,
    kind: str = FilingKind.NEW_FILING,
    channel: str,
    miniprogram: MiniProgram | None = None,
    domain: Domain | None = None,
    reference: str = "",
    notes: str = "",
    planned_for: datetime.date | None = None,
    idempotency_key: str = "",
) -> FilingApplication:
    """Create a draft filing application for an operator the user may edit.

    `user=None` is the system: a connector that found an application at the vendor (its
    caller has scoped the operator to the connector's organization).

    With an `idempotency_key`, a second submission with the same key returns the first
    one's application instead of creating another.
    """
    if idempotency_key and user is not None:
        filing, _created = idempotent_create(
            user=user,
            scope="filings.create",
            key=idempotency_key,
            create=lambda: filing_create(
                user=user,
                operator=operator,
                kind=kind,
                channel=channel,
                miniprogram=miniprogram,
                domain=domain,
                reference=reference,
                notes=notes,
                planned_for=planned_for,
            ),
            load=lambda pk: FilingApplication.objects.get(pk=pk),
        )
        return filing
    if user is not None:
        ensure_can_edit_operator(user, operator)
    if miniprogram is not None and domain is not None:
        raise ValidationError(_("An application covers one mini-program or one domain, not both."))
    for subject in (miniprogram, domain):
        if subject is not None and subject.operator_id != operator.pk:
            raise ValidationError(_("The service belongs to another operator."))
    filing = FilingApplication(
        organization_id=operator.organization_id,
        operator=operator,
        kind=kind,
        channel=channel,
        miniprogram=miniprogram,
        domain=domain,
        reference=reference,
        notes=notes,
        planned_for=planned_for,
    )
    filing.full_clean()
    filing.save()
    return filing


# What stays editable once submitted: bookkeeping, not what the authority was sent.
_ALWAYS_EDITABLE = frozenset({"reference", "notes", "planned_for"})
_DRAFT_ONLY = frozenset({"kind", "channel"})


@transaction.atomic
def filing_update(*, user: User, filing: FilingApplication, **fields: Any) -> FilingApplication:
    """Edit an application's details. Kind and channel change only while it is a draft;
    the status never changes here (that is filing_transition's job).
    """
    locked = filing_qs_select_for_update().select_related("operator").get(pk=filing.pk)
    ensure_can_edit_operator(user, locked.operator)
    changed = []
    for name, value in fields.items():
        if name not in _ALWAYS_EDITABLE | _DRAFT_ONLY or getattr(locked, name) == value:
            continue
        if name in _DRAFT_ONLY and locked.status != FilingStatus.DRAFT:
            raise ValidationError(
                {
                    name: [
                        _(
                            "Only a draft can change its kind or channel; withdraw it and "
                            "start a new application."
                        )
                    ]
                }
            )
        setattr(locked, name, value)
        changed.append(name)
    if changed:
        locked.full_clean()
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


def _expected_service_type(filing: FilingApplication) -> numbers.ServiceType:
    if filing.miniprogram is not None:
        return filing.miniprogram.number_service_type
    if filing.domain_id:
        return numbers.ServiceType.WEBSITE
    return numbers.ServiceType.ENTITY


def _validate_approval_number(filing: FilingApplication, text: str) -> numbers.ParsedNumber:
    if not text.strip():
        raise ValidationError({"icp_number": [_("Approving needs the filing number issued.")]})
    try:
        parsed = numbers.parse_number(text)
    except numbers.NumberError as e:
        raise ValidationError({"icp_number": [e.message]}) from None
    problems = numbers.check_for_service(
        parsed,
        province_code=filing.operator.province_id,
        service_type=_expected_service_type(filing),
    )
    entity = filing.operator.entity_number
    if entity and parsed.entity_number != entity:
        problems.append(
            _("The operator's entity number is %(entity)s; this number belongs to %(other)s.")
            % {"entity": entity, "other": parsed.entity_number}
        )
    if problems:
        raise ValidationError({"icp_number": problems})
    return parsed


def _record_number(filing: FilingApplication, parsed: numbers.ParsedNumber) -> None:
    """Copy an issued number onto the subject and, the first time, the operator."""
    filing.icp_number = parsed.normalized
    subject = filing.miniprogram or filing.domain
    if subject is not None:
        subject.icp_number = parsed.normalized
        subject.save(update_fields=["icp_number", "updated_at"])
        if filing.kind in GRANTING_KINDS:
            # The number and its access are granted now: the service's record is filed (the
            # caller checked the actor's role; the history names the approval as the source).
            record_state_change(
                service=subject,
                to_state=RecordState.FILED,
                source=RecordSource.FILING,
                actor=None,
                note=f"#{filing.pk}",  # the application; language-neutral (stored text)
            )
    operator = filing.operator
    if not operator.entity_number:
        operator.entity_number = parsed.entity_number
        operator.save(update_fields=["entity_number", "updated_at"])


# Applications whose approval grants the service its number or its access (not changes).
GRANTING_KINDS = frozenset({FilingKind.NEW_FILING, FilingKind.ADD_SERVICE, FilingKind.NEW_ACCESS})


def _check_readiness(
    filing: FilingApplication, to_status: str, actor: User | None, override: str
) -> tuple[str, list[dict[str, Any]]]:
    """The override to record (reason, gaps), or raise when submission must wait."""
    if to_status != FilingStatus.PROVIDER_REVIEW:
        return "", []
    gaps = filing_readiness(filing)
    if not gaps:
        return "", []
    reason = (override or "").strip()
    if not reason:
        raise NotReady(gaps)
    if actor is not None and not can_manage_organization(actor, filing.organization_id):
        raise PermissionDeniedError(
            _("Only a manager can submit an application that is not ready.")
        )
    if len(reason) > 2000:
        raise ValidationError(
            {"readiness_override": [_("Keep the reason under 2,000 characters.")]}
        )
    return reason, _gaps_in_every_language(filing, gaps)


def _gaps_in_every_language(filing: FilingApplication, gaps: list[Gap]) -> list[dict[str, Any]]:
    """The gaps as kept with the status change: each sentence in every language of the site,
    so the timeline reads in its reader's language (`messages`; `message` is the actor's).
    """
    rows = [g.as_dict() for g in gaps]
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            for row, gap in zip(rows, filing_readiness(filing), strict=True):
                row.setdefault("messages", {})[lang] = str(gap.message)
    return rows


@transaction.atomic
def filing_transition(
    *,
    filing_id: int,
    to_status: str,
    actor: User | None,
    note: str = "",
    icp_number: str = "",
    reasons: Iterable[Mapping[str, Any]] = (),
    readiness_override: str = "",
    submitted_elsewhere: bool = False,
) -> FilingApplication:
    """Move an application to `to_status`, or change nothing and raise.

    Locks the row, so of two concurrent transitions one wins and the other sees the new
    state and gets InvalidTransition (HTTP 409). `actor=None` means the system (tasks).
    Submitting for provider review needs a ready application (`filings.readiness`): otherwise
    NotReady (400) with the list, unless a manager gives `readiness_override`, a reason kept
    with the status change together with what was missing. `submitted_elsewhere` (the system
    only): the provider already accepted the submission (a connector saw it), so there is
    nothing to hold back; the register's gaps stay on the compliance worklist.
    """
    filing = filing_qs_select_for_update().select_related("operator").get(pk=filing_id)
    if actor is not None:
        ensure_can_edit_operator(actor, filing.operator)
    allowed = allowed_targets(filing.status, kind=filing.kind, channel=filing.channel)
    if to_status not in allowed:
        raise InvalidTransition(
            _("Cannot move this application from “%(from)s” to “%(to)s”.")
            % {"from": filing.get_status_display(), "to": to_status},
            extra={"status": filing.status, "allowed": sorted(allowed)},
        )
    note = clean_field_text(note, field="note", multiline=True)
    readiness_override = clean_field_text(
        readiness_override, field="readiness_override", multiline=True
    )
    override_reason, overridden = (
        ("", [])
        if submitted_elsewhere and actor is None
        else _check_readiness(filing, to_status, actor, readiness_override)
    )
    reason_rows = clean_reasons(reasons) if to_status in REJECTED else []
    if to_status == FilingStatus.APPROVED:
        _record_number(filing, _validate_approval_number(filing, icp_number))

    change = FilingStatusChange.objects.create(
        filing=filing,
        from_status=filing.status,
        to_status=to_status,
        actor=None if actor is None else ensure_signed_in(actor),
        actor_label="" if actor is not None else acting_label()[:100],
        note=note,
        override_reason=override_reason,
        overridden_gaps=overridden,
    )
    for r in reason_rows:
        r.status_change = change
    RejectionReason.objects.bulk_create(reason_rows)

    filing.status = to_status
    filing.status_entered_at = change.created_at
    try:
        with transaction.atomic():
            filing.save(update_fields=["status", "status_entered_at", "icp_number", "updated_at"])
    except IntegrityError:
        # The partial unique index refused a second in-flight application for the operator.
        raise ConflictError(_conflict_message()) from None
    # Tell the apps above (notifications settles reminders now rather than at the next hourly
    # sweep). robust: a failing receiver (broker outage) must not fail a committed transition.
    sent = {
        "filing_id": filing.pk,
        "operator_id": filing.operator_id,
        "from_status": change.from_status,
        "to_status": to_status,
    }
    transaction.on_commit(
        lambda: filing_transitioned.send(sender=FilingApplication, **sent), robust=True
    )
    return filing


def filing_comment_add(
    *, user: User, filing: FilingApplication, body: str, idempotency_key: str = ""
) -> FilingComment:
    """Add a comment to the application's timeline; editors and managers only.

    With an `idempotency_key`, a second submission with the same key returns the first
    one's comment instead of adding another.
    """
    ensure_can_edit_operator(user, filing.operator)
    if idempotency_key:
        comment, _created = idempotent_create(
            user=user,
            scope=f"filings.comment:{filing.pk}",
            key=idempotency_key,
            create=lambda: filing_comment_add(user=user, filing=filing, body=body),
            load=lambda pk: FilingComment.objects.get(pk=pk),
        )
        return comment
    text = clean_field_text(body, field="body", multiline=True)
    if not text:
        raise ValidationError({"body": [_("Write something before posting the comment.")]})
    if len(text) > 5000:
        raise ValidationError({"body": [_("Keep a comment under 5,000 characters.")]})
    return FilingComment.objects.create(filing=filing, author=ensure_signed_in(user), body=text)
