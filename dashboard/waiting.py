"""Applications waiting on us: the next move of the workflow (icp.workflow) is ours.

- a draft that nothing blocks (no other application of the operator holds its single slot at
  the authority, icp.workflow.IN_FLIGHT): submit it;
- rejected by the provider or the authority (icp.workflow.REJECTED) and not resubmitted:
  fix and resubmit (a resubmission moves it out of the rejected status);
- in MIIT SMS verification: the responsible persons must answer, with the hour the window
  closes read from the application's maintained compliance row.

Two queries whatever the portfolio: the counts by kind, and the first rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from accounts.types import User
from compliance.models import ComplianceItem
from compliance.rules import RuleCode
from filings.models import FilingApplication, FilingStatus
from filings.selectors import filing_list_for_user
from icp.workflow import IN_FLIGHT, REJECTED
from miniprograms.ownership import filter_by_organization

S = FilingStatus
# Kinds of waiting by the application's status, most pressing first: the SMS window closes
# within hours; a rejection stops the application; a draft only waits to be sent.
KINDS: tuple[str, ...] = (
    S.SMS_VERIFICATION.value,
    *sorted(s.value for s in REJECTED),
    S.DRAFT.value,
)
_RANK = {kind: n for n, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Waiting:
    rows: Sequence[FilingApplication]  # each with .rank and .sms_due_at
    count: int
    counts: dict[str, int]  # by kind (KINDS)


def _kinds_q() -> dict[str, Q]:
    return {
        kind: Q(status=kind, slot_taken=False) if kind == S.DRAFT else Q(status=kind)
        for kind in KINDS
    }


def _waiting_qs(*, user: User, organization_id: int | None) -> QuerySet[FilingApplication]:
    qs = filing_list_for_user(user=user)
    if organization_id is not None:
        qs = filter_by_organization(qs, organization_id)
    slot_taken = Exists(
        FilingApplication.objects.filter(
            operator=OuterRef("operator"), status__in=[str(s) for s in IN_FLIGHT]
        ).exclude(pk=OuterRef("pk"))
    )
    kinds = _kinds_q()
    wanted = Q()
    for q in kinds.values():
        wanted |= q
    return qs.annotate(slot_taken=slot_taken).filter(wanted)


def waiting_on_us(*, user: User, organization_id: int | None, limit: int) -> Waiting:
    """The applications in the user's scope whose next move is ours, SMS windows first
    (soonest closing), then rejections, then drafts ready to submit (each oldest first)."""
    qs = _waiting_qs(user=user, organization_id=organization_id)
    kinds = _kinds_q()
    counts = qs.order_by().aggregate(**{k: Count("pk", filter=q) for k, q in kinds.items()})
    sms_due_at = ComplianceItem.objects.filter(
        subject_type="filing",
        subject_id=OuterRef("pk"),
        rule=RuleCode.SMS_VERIFICATION_WINDOW,
        closed_at__isnull=True,
    ).order_by("-due_key")
    rank = Case(
        *(When(status=k, then=Value(_RANK[k])) for k in KINDS),
        default=Value(len(KINDS)),
        output_field=IntegerField(),
    )
    rows = list(
        qs.annotate(
            rank=rank,
            sms_due_at=Subquery(sms_due_at.values("due_at")[:1]),
        )
        .select_related("operator", "miniprogram", "domain")
        .order_by("rank", "status_entered_at", "pk")[:limit]
    )
    return Waiting(rows=rows, count=sum(counts.values()), counts=counts)
