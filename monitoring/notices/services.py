"""Writes to provider notices (domain.md §12). Each service checks the role, validates and
saves atomically; the missed-deadline sweep is the only system writer.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure_can_edit_operator, ensure_signed_in
from accounts.types import User
from compliance import tracking
from core.exceptions import ConflictError
from core.models import clean_field_text
from filings.models import FilingApplication, FilingKind
from miniprograms.evidence import check_evidence
from miniprograms.models import Domain, MiniProgram, RecordSource, RecordState
from miniprograms.services.record import RecordMoveRefused, record_state_change

from ..models import NoticeProvider, NoticeState, ProviderNotice

logger = logging.getLogger(__name__)

Service = Domain | MiniProgram
MAX_FIELDS = 30
EXPIRE_BATCH = 200


class NoticeStateError(ConflictError):
    """The notice is not in a state that allows this."""


def _fields_to_fix(values: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for value in values:
        text = clean_field_text(str(value or ""), field="fields_to_fix")
        if text and text not in cleaned:
            cleaned.append(text[:100])
    if len(cleaned) > MAX_FIELDS:
        raise ValidationError(
            {"fields_to_fix": [_("List at most %(n)d fields.") % {"n": MAX_FIELDS}]}
        )
    return cleaned


def _aware(value: datetime.datetime, field: str) -> datetime.datetime:
    if timezone.is_naive(value):
        raise ValidationError({field: [_("Give the time with its time zone.")]})
    return value


@transaction.atomic
def notice_record(
    *,
    user: User,
    service: Service,
    provider: str,
    received_at: datetime.datetime,
    deadline_at: datetime.datetime,
    provider_name: str = "",
    fields_to_fix: Iterable[str] = (),
    note: str = "",
    evidence: UploadedFile | None = None,
) -> ProviderNotice:
    """Record a provider's inspection notice about `service` (editors and managers)."""
    ensure_can_edit_operator(user, service.operator)
    received_at = _aware(received_at, "received_at")
    deadline_at = _aware(deadline_at, "deadline_at")
    if provider not in NoticeProvider.values:
        raise ValidationError({"provider": [_("Choose the provider.")]})
    if provider == NoticeProvider.OTHER and not provider_name.strip():
        raise ValidationError({"provider_name": [_("Name the provider.")]})
    if deadline_at <= received_at:
        raise ValidationError({"deadline_at": [_("The deadline must come after receipt.")]})
    notice = ProviderNotice(
        operator=service.operator,
        domain=service if isinstance(service, Domain) else None,
        miniprogram=service if isinstance(service, MiniProgram) else None,
        provider=provider,
        provider_name=provider_name,
        received_at=received_at,
        deadline_at=deadline_at,
        fields_to_fix=_fields_to_fix(fields_to_fix),
        note=note,
        created_by=ensure_signed_in(user),
    )
    if evidence is not None:
        notice.evidence_type, notice.evidence_name = check_evidence(evidence)
        notice.evidence = evidence
    notice.full_clean(exclude=["evidence", "fix_evidence"])
    notice.save()
    tracking.operators_changed([notice.operator_id])
    return notice


def _locked(notice: ProviderNotice) -> ProviderNotice:
    return ProviderNotice.objects.select_for_update().select_related("operator").get(pk=notice.pk)


def _set_state(notice: ProviderNotice, state: str, actor: User | None, fields: list[str]) -> None:
    notice.state = state
    notice.state_changed_at = timezone.now()
    notice.state_changed_by = None if actor is None else ensure_signed_in(actor)
    notice.save(
        update_fields=[*fields, "state", "state_changed_at", "state_changed_by", "updated_at"]
    )
    tracking.operators_changed([notice.operator_id])


@transaction.atomic
def notice_resolve(
    *,
    user: User,
    notice: ProviderNotice,
    note: str = "",
    fix_filing: FilingApplication | None = None,
    evidence: UploadedFile | None = None,
) -> ProviderNotice:
    """Close the notice with its fix: a change filing of the same service, or an evidence file
    with a note saying what was done. Also after a missed deadline (access cancelled): the fix
    is still owed. Anything else changes nothing and raises.
    """
    locked = _locked(notice)
    ensure_can_edit_operator(user, locked.operator)
    if locked.state not in (NoticeState.OPEN, NoticeState.ACCESS_CANCELLED):
        raise NoticeStateError(
            _("This notice is %(state)s already.") % {"state": locked.get_state_display()}
        )
    note = clean_field_text(note, field="note", multiline=True)
    if fix_filing is not None:
        same_service = (
            fix_filing.operator_id == locked.operator_id
            and fix_filing.domain_id == locked.domain_id
            and fix_filing.miniprogram_id == locked.miniprogram_id
        )
        if fix_filing.kind != FilingKind.CHANGE or not same_service:
            raise ValidationError(
                {"fix_filing": [_("Choose a change filing of this notice's service.")]}
            )
        locked.fix_filing = fix_filing
    elif evidence is None or not note:
        raise ValidationError(
            {
                "evidence": [
                    _("Record the fix: link a change filing, or upload evidence with a note.")
                ]
            }
        )
    if evidence is not None:
        locked.fix_evidence_type, locked.fix_evidence_name = check_evidence(evidence)
        locked.fix_evidence = evidence
    locked.resolution_note = note
    _set_state(
        locked,
        NoticeState.FIXED,
        user,
        ["fix_filing", "fix_evidence", "fix_evidence_name", "fix_evidence_type", "resolution_note"],
    )
    return locked


@transaction.atomic
def notice_withdraw(*, user: User, notice: ProviderNotice, note: str) -> ProviderNotice:
    """The provider withdrew the notice (or it was recorded in error); a note says which."""
    locked = _locked(notice)
    ensure_can_edit_operator(user, locked.operator)
    if locked.state != NoticeState.OPEN:
        raise NoticeStateError(
            _("This notice is %(state)s already.") % {"state": locked.get_state_display()}
        )
    note = clean_field_text(note, field="note", multiline=True)
    if not note:
        raise ValidationError({"note": [_("Say why the notice is withdrawn.")]})
    locked.resolution_note = note
    _set_state(locked, NoticeState.WITHDRAWN, user, ["resolution_note"])
    return locked


@transaction.atomic
def notice_keep_access(*, user: User, notice: ProviderNotice, note: str) -> ProviderNotice:
    """Record that the provider keeps the service's access past the deadline (e.g. confirmed
    in writing): missing the deadline then does not cancel access. The fix is still owed.
    """
    locked = _locked(notice)
    ensure_can_edit_operator(user, locked.operator)
    if locked.state != NoticeState.OPEN:
        raise NoticeStateError(
            _("This notice is %(state)s already.") % {"state": locked.get_state_display()}
        )
    note = clean_field_text(note, field="note", multiline=True)
    if not note:
        raise ValidationError({"note": [_("Say who confirmed that access is kept.")]})
    locked.access_kept = True
    locked.resolution_note = note
    locked.save(update_fields=["access_kept", "resolution_note", "updated_at"])
    tracking.operators_changed([locked.operator_id])
    return locked


def expire_missed_notices(*, now: datetime.datetime | None = None) -> int:
    """Open notices whose deadline has passed: the service's access is cancelled (recorded
    with source "provider notice") and the notice moves to access cancelled.

    Idempotent and safe to run concurrently: each notice is claimed with SKIP LOCKED and
    rechecked; a notice whose access someone recorded as kept is left open. Returns how many
    notices moved. A service already without access (or cancelled) keeps its state. A notice
    that cannot be applied is logged and skipped, in its own savepoint: it never holds up the
    others.
    """
    now = now or timezone.now()
    moved = 0
    failed: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(
                ProviderNotice.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=NoticeState.OPEN, access_kept=False, deadline_at__lte=now)
                .exclude(pk__in=failed)
                .select_related("operator", "domain", "miniprogram")
                .order_by("deadline_at", "pk")[:EXPIRE_BATCH]
            )
            for notice in batch:
                try:
                    with transaction.atomic():  # one bad row never holds up the others
                        _expire_one(notice, now)
                except Exception:
                    logger.exception(
                        "notice %s: the missed deadline could not be applied", notice.pk
                    )
                    failed.add(notice.pk)
                    continue
                moved += 1
        if len(batch) < EXPIRE_BATCH:
            return moved


def _expire_one(notice: ProviderNotice, now: datetime.datetime) -> None:
    service: Service | None = notice.domain or notice.miniprogram
    if service is None:  # the check constraint allows none, but be explicit
        return
    deadline = timezone.localtime(notice.deadline_at)
    try:
        record_state_change(
            service=service,
            to_state=RecordState.ACCESS_CANCELLED,
            source=RecordSource.PROVIDER_NOTICE,
            actor=None,
            effective_on=deadline.date(),
            note=_("The deadline of the %(provider)s notice passed at %(deadline)s.")
            % {"provider": notice.provider_label, "deadline": deadline.strftime("%Y-%m-%d %H:%M")},
        )
    except RecordMoveRefused:
        logger.info("notice %s: service %s keeps its record state", notice.pk, service.pk)
    notice.state = NoticeState.ACCESS_CANCELLED
    notice.state_changed_at = now
    notice.state_changed_by = None
    notice.save(update_fields=["state", "state_changed_at", "state_changed_by", "updated_at"])
    tracking.operators_changed([notice.operator_id])
