"""The record after approval: the one writer of a service's record state (domain.md §12)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure_can_edit_operator, ensure_signed_in
from accounts.types import User
from core.exceptions import ConflictError
from core.models import clean_field_text
from icp.records import move_allowed

from ..evidence import check_evidence
from ..models import Domain, MiniProgram, RecordSource, RecordState, RecordStateChange

Service = Domain | MiniProgram


class RecordMoveRefused(ConflictError):  # noqa: N818 - reads as the domain term
    """The service cannot move from its current record state to the one asked."""


def _locked(service: Service) -> Service:
    model = type(service)
    return model.objects.select_for_update().select_related("operator").get(pk=service.pk)


@transaction.atomic
def record_state_change(
    *,
    service: Service,
    to_state: str,
    source: str,
    actor: User | None,
    effective_on: datetime.date | None = None,
    note: str = "",
    evidence: UploadedFile | None = None,
) -> RecordStateChange | None:
    """Move `service` (a domain or a mini-program/app) to `to_state` and keep the history row.

    Locks the service row: of two concurrent changes one wins and the other sees the new
    state. The same state again changes nothing and returns None (idempotent: a task may
    run twice). A move the kernel does not allow (icp.records.RECORD_MOVES), e.g. from
    cancelled to access cancelled, raises RecordMoveRefused and writes nothing. `actor=None`
    is the system (a task). The service's save marks its operator for the compliance rows.
    """
    if to_state not in RecordState.values:
        raise ValidationError({"to_state": [_("Choose a record state.")]})
    if source not in RecordSource.values:
        raise ValidationError({"source": [_("Choose where the change comes from.")]})
    locked = _locked(service)
    if actor is not None:
        ensure_can_edit_operator(actor, locked.operator)
    if locked.record_state == to_state:
        return None
    if not move_allowed(locked.record_state, to_state):
        raise RecordMoveRefused(
            _("A service cannot move from “%(from)s” to “%(to)s”.")
            % {
                "from": RecordState(locked.record_state).label,
                "to": RecordState(to_state).label,
            },
            extra={"record_state": locked.record_state},
        )
    effective_on = effective_on or timezone.localdate()
    change = RecordStateChange(
        operator=locked.operator,
        domain=locked if isinstance(locked, Domain) else None,
        miniprogram=locked if isinstance(locked, MiniProgram) else None,
        from_state=locked.record_state,
        to_state=to_state,
        effective_on=effective_on,
        source=source,
        note=clean_field_text(note, field="note", multiline=True),
        actor=None if actor is None else ensure_signed_in(actor),
    )
    if evidence is not None:
        change.evidence_type, change.evidence_name = check_evidence(evidence)
        change.evidence = evidence
    change.full_clean(exclude=["evidence"])
    change.save()
    locked.record_state = to_state
    locked.record_state_since = effective_on
    locked.save(update_fields=["record_state", "record_state_since", "updated_at"])
    service.record_state, service.record_state_since = to_state, effective_on
    return change
