"""Reads the dashboard needs beyond the apps' own selectors. Always scoped to the user."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.access import (
    can_edit_in_organization,
    full_organization_ids,
    membership_list_for_user,
    operator_edit_q,
    organization_list_for_user,
)
from accounts.models import Membership, Organization, Role
from accounts.types import User
from compliance import service_states
from documents.selectors import operator_checklist
from filings.models import FilingApplication, FilingStatusChange
from filings.selectors import filing_list_for_user
from miniprograms.models import (
    Domain,
    Lifecycle,
    MiniProgram,
    Operator,
    PersonRole,
    PreApproval,
    Province,
    ResponsiblePerson,
)
from miniprograms.ownership import filter_by_organization
from miniprograms.selectors import (
    domain_list_for_user,
    miniprogram_list_for_user,
    operator_list_for_user,
)


def operator_editable_for_user(*, user: User) -> QuerySet[Operator]:
    """Operators the user may change: the choices offered in create forms."""
    return operator_list_for_user(user=user).filter(operator_edit_q(user=user))


def organization_editable_for_user(*, user: User) -> QuerySet[Organization]:
    """Organizations where the user may add operators (unrestricted editors and managers)."""
    qs = organization_list_for_user(user=user)
    if user.is_superuser:
        return qs
    ids = [
        m.organization_id
        for m in membership_list_for_user(user=user)
        if can_edit_in_organization(user, m.organization_id)
    ]
    return qs.filter(pk__in=ids)


def staff_list_for_user(*, user: User) -> QuerySet[Membership]:
    """Agency staff (not clients) of the organizations the user sees in full."""
    if user.is_superuser:
        orgs: Any = organization_list_for_user(user=user).values("pk")
    else:
        orgs = full_organization_ids(user=user)
    return (
        Membership.objects.filter(organization_id__in=orgs)
        .exclude(role=Role.CLIENT)
        .select_related("user", "organization")
        .order_by("user__username")
    )


def _scope(qs, organization_id: int | None):
    return filter_by_organization(qs, organization_id) if organization_id else qs


def filing_stage_counts(
    *, user: User, organization_id: int | None, as_of: datetime.date, today: bool
) -> dict[str, int]:
    """{stage: n} of the applications in scope, counted in SQL (one GROUP BY).

    Today the stage is the current status; another date reads each application's stage at
    the end of that Beijing day (its last status change by then, "draft" before any), and
    leaves out applications created later.
    """
    qs = _scope(filing_list_for_user(user=user), organization_id)
    if today:
        grouped = qs.order_by().values(stage=F("status")).annotate(n=Count("pk"))
    else:
        cutoff = timezone.make_aware(
            datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time())
        )
        last = FilingStatusChange.objects.filter(
            filing=OuterRef("pk"), created_at__lt=cutoff
        ).order_by("-created_at", "-id")
        grouped = (
            qs.filter(created_at__lt=cutoff)
            .order_by()
            .annotate(stage=Coalesce(Subquery(last.values("to_status")[:1]), Value("draft")))
            .values("stage")
            .annotate(n=Count("pk"))
        )
    return {row["stage"]: row["n"] for row in grouped}


def readiness_counts(*, user: User, organization_id: int | None, as_of: datetime.date) -> dict:
    """Inspection-readiness numerators and denominators: one aggregate query per register."""
    mps = _scope(miniprogram_list_for_user(user=user), organization_id).filter(
        Q(launch_date__isnull=True) | Q(launch_date__lte=as_of), lifecycle=Lifecycle.LIVE
    )
    mp = mps.aggregate(total=Count("pk"), filed=Count("pk", filter=~Q(icp_number="")))
    doms = _scope(domain_list_for_user(user=user), organization_id).filter(
        Q(live_since__isnull=True) | Q(live_since__lte=as_of)
    )
    dom = doms.aggregate(
        total=Count("pk"),
        filed=Count("pk", filter=~Q(icp_number="")),
        real_name=Count("pk", filter=Q(real_name_status="verified")),
        psb=Count("pk", filter=~Q(psb_number="")),
    )
    # The operators are scoped: their people need no scope of their own.
    entity = ResponsiblePerson.objects.filter(
        Q(id_expires_on__isnull=True) | Q(id_expires_on__gt=as_of),
        role="entity",
        operator=OuterRef("pk"),
    )
    ops = (
        _scope(operator_list_for_user(user=user), organization_id)
        .select_related(None)
        .aggregate(total=Count("pk"), with_person=Count("pk", filter=Exists(entity)))
    )
    return {"miniprograms": mp, "domains": dom, "operators": ops}


def service_chart_counts(*, user: User, organization_id: int | None) -> dict:
    """Today's services by filing state (compliance.service_states) and mini-programs by
    platform: three GROUP BY queries, whatever the portfolio size.
    """
    mps = _scope(miniprogram_list_for_user(user=user), organization_id).select_related(None)
    doms = _scope(domain_list_for_user(user=user), organization_id).select_related(None)
    platforms = mps.order_by().values("platform").annotate(n=Count("pk"))
    return {
        "miniprogram_states": service_states.state_counts(
            mps, service_states.with_miniprogram_state
        ),
        "domain_states": service_states.state_counts(doms, service_states.with_domain_state),
        "platforms": {row["platform"]: row["n"] for row in platforms.order_by()},
    }


def province_list() -> QuerySet[Province]:
    """Reference data (not tenant-owned): the 31 provinces for filters and forms."""
    return Province.objects.all()


# --- a new operator's setup ---------------------------------------------------------------


@dataclass(frozen=True)
class SetupCounts:
    """What an operator has registered, as far as its setup is concerned."""

    entity_persons: int
    services: int  # mini-programs, apps, quick apps and domains
    material_gaps: int  # required materials missing or expired (documents checklist)
    filings: int  # filing applications, any status


@dataclass(frozen=True)
class SetupStep:
    """One step of the setup checklist and whether it is done."""

    key: str  # entity_person, service, materials, filing
    label: str | Promise
    done: bool


def setup_steps(counts: SetupCounts) -> list[SetupStep]:
    """The setup checklist of one operator, in the order the work is done."""
    return [
        SetupStep("entity_person", _("Entity responsible person"), counts.entity_persons > 0),
        SetupStep(
            "service", _("At least one service (mini-program, app or domain)"), counts.services > 0
        ),
        SetupStep("materials", _("Filing materials complete"), counts.material_gaps == 0),
        SetupStep("filing", _("First filing application"), counts.filings > 0),
    ]


def is_set_up(steps: list[SetupStep]) -> bool:
    """Every step done: the operator's compliance items then say all there is to say."""
    return all(step.done for step in steps)


def operator_setup_counts(
    *,
    operator: Operator,
    people: Iterable[ResponsiblePerson],
    miniprograms: Sequence[MiniProgram],
    domains: Sequence[Domain],
    preapprovals: Sequence[PreApproval],
    filings: Sequence[FilingApplication],
) -> SetupCounts:
    """SetupCounts of an operator from the rows its page loaded anyway (found through the
    user's scope); only the materials checklist reads its documents.
    """
    rows = operator_checklist(
        operator=operator, miniprograms=miniprograms, domains=domains, preapprovals=preapprovals
    )
    return SetupCounts(
        entity_persons=sum(1 for p in people if p.role == PersonRole.ENTITY),
        services=len(miniprograms) + len(domains),
        material_gaps=sum(1 for row in rows if row.is_gap),
        filings=len(filings),
    )
