"""Where each mini-program, app and domain stands with its filing, in one word, in SQL.

The register lists show one state per service and filter on it (`?compliance=`). The state is
an annotation (a `CASE` over the row's own fields, one `EXISTS` on the applications in flight
and, for domains, one on the maintained public-security item), so a page of 30 services costs
the same queries as a page of 2. The first matching state wins, in the order below.

Mini-programs and apps:
- `retired`: delisted, no filing needed;
- `cancelled`: the record was cancelled (注销; miniprograms RecordState);
- `access_cancelled`: the number stands but no provider serves it (取消接入);
- `filed`: a filing number is recorded (approving an application records it);
- `live_unfiled`: live without a filing number, the takedown risk (even while an application
  is in flight: until it is approved the service may be taken down);
- `in_progress`: not live, an application is in flight;
- `unfiled`: not live, nothing filed or in flight yet.

Domains:
- `expired`: the registration expired before today;
- `psb_missing`: filed, and the public-security filing item (rule `psb_filing`, kept by
  compliance.store with the rule's days) is open and overdue;
- `cancelled`, `access_cancelled` (the record states, as above);
- `filed`, `live_unfiled` (live since a past date without a number), `in_progress`, `unfiled`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.fields import CharField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filings.models import FilingApplication
from icp.workflow import IN_FLIGHT
from miniprograms.filters import DomainFilterSet, MiniProgramFilterSet
from miniprograms.models import Lifecycle, RecordState

from .models import ComplianceItem
from .rules import RuleCode
from .types import ComplianceStatus


class ServiceState:
    LIVE_UNFILED = "live_unfiled"
    IN_PROGRESS = "in_progress"
    FILED = "filed"
    EXPIRED = "expired"
    PSB_MISSING = "psb_missing"
    RETIRED = "retired"
    UNFILED = "unfiled"
    ACCESS_CANCELLED = "access_cancelled"
    CANCELLED = "cancelled"


S = ServiceState

LABELS: dict[str, Any] = {
    S.LIVE_UNFILED: _("Live, not filed"),
    S.IN_PROGRESS: _("Filing in progress"),
    S.FILED: _("Filed"),
    S.EXPIRED: _("Domain expired"),
    S.PSB_MISSING: _("Public-security filing missing"),
    S.RETIRED: _("Retired (not applicable)"),
    S.UNFILED: _("Not filed, not live"),
    S.ACCESS_CANCELLED: _("Access cancelled"),
    S.CANCELLED: _("Filing cancelled"),
}

# What the short label means, for the cell's title and the filter's help.
HINTS: dict[str, Any] = {
    S.LIVE_UNFILED: _("Live without an approved filing: it can be taken down."),
    S.IN_PROGRESS: _("An application is in progress."),
    S.FILED: _("A filing number is recorded."),
    S.EXPIRED: _("The domain registration has expired: renew it or its filing may be cancelled."),
    S.PSB_MISSING: _("Filed, but no public-security filing number after the rule's days."),
    S.RETIRED: _("Delisted: no filing needed."),
    S.UNFILED: _("Not live yet and nothing filed: file it before it goes live."),
    S.ACCESS_CANCELLED: _(
        "Access was cancelled (取消接入): restore it with a new-access filing or keep the "
        "service offline."
    ),
    S.CANCELLED: _("The filing was cancelled (注销): file again before serving it."),
}

# The badge class of each state (the colour; the label always goes with it).
CSS: dict[str, str] = {
    S.LIVE_UNFILED: "status-overdue",
    S.EXPIRED: "status-overdue",
    S.PSB_MISSING: "status-overdue",
    S.IN_PROGRESS: "status-authority_review",
    S.UNFILED: "status-due_soon",
    S.FILED: "status-compliant",
    S.RETIRED: "status-not_applicable",
    S.ACCESS_CANCELLED: "status-overdue",
    S.CANCELLED: "status-overdue",
}

# The bar class of each state in charts.
BAR_CSS: dict[str, str] = {
    S.LIVE_UNFILED: "bad",
    S.EXPIRED: "bad",
    S.PSB_MISSING: "bad",
    S.UNFILED: "warn",
    S.IN_PROGRESS: "",
    S.FILED: "good",
    S.RETIRED: "muted",
    S.ACCESS_CANCELLED: "bad",
    S.CANCELLED: "bad",
}

MINIPROGRAM_STATES = (
    S.LIVE_UNFILED,
    S.ACCESS_CANCELLED,
    S.CANCELLED,
    S.IN_PROGRESS,
    S.UNFILED,
    S.FILED,
    S.RETIRED,
)
DOMAIN_STATES = (
    S.EXPIRED,
    S.ACCESS_CANCELLED,
    S.CANCELLED,
    S.PSB_MISSING,
    S.LIVE_UNFILED,
    S.IN_PROGRESS,
    S.UNFILED,
    S.FILED,
)
_RECORD_WHENS = (
    (RecordState.CANCELLED, S.CANCELLED),
    (RecordState.ACCESS_CANCELLED, S.ACCESS_CANCELLED),
)


def _record_whens() -> list[When]:
    return [When(record_state=rs, then=Value(state)) for rs, state in _RECORD_WHENS]


def state_choices(states: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [(s, LABELS[s]) for s in states]


def _in_flight(subject: str) -> Exists:
    return Exists(
        FilingApplication.objects.filter(**{subject: OuterRef("pk")}, status__in=IN_FLIGHT)
    )


def _psb_overdue() -> Exists:
    return Exists(
        ComplianceItem.objects.filter(
            subject_type="domain",
            subject_id=OuterRef("pk"),
            rule=RuleCode.PSB_FILING,
            status=ComplianceStatus.OVERDUE,
            closed_at__isnull=True,
        )
    )


def _state(*whens: When) -> Case:
    return Case(*whens, default=Value(S.UNFILED), output_field=CharField())


FILED_Q = ~Q(icp_number="")


def with_miniprogram_state(qs: QuerySet[Any]) -> QuerySet[Any]:
    """Mini-programs annotated with `compliance_state` (a ServiceState value)."""
    if "compliance_state" in qs.query.annotations:
        return qs
    return qs.annotate(
        compliance_state=_state(
            When(lifecycle=Lifecycle.DELISTED, then=Value(S.RETIRED)),
            *_record_whens(),
            When(FILED_Q, then=Value(S.FILED)),
            When(lifecycle=Lifecycle.LIVE, then=Value(S.LIVE_UNFILED)),
            When(_in_flight("miniprogram"), then=Value(S.IN_PROGRESS)),
        )
    )


def with_domain_state(qs: QuerySet[Any]) -> QuerySet[Any]:
    """Domains annotated with `compliance_state` (a ServiceState value), as of today."""
    if "compliance_state" in qs.query.annotations:
        return qs
    today = timezone.localdate()
    return qs.annotate(
        compliance_state=_state(
            When(expires_on__lt=today, then=Value(S.EXPIRED)),
            *_record_whens(),
            When(FILED_Q & Q(_psb_overdue()), then=Value(S.PSB_MISSING)),
            When(FILED_Q, then=Value(S.FILED)),
            When(live_since__lte=today, then=Value(S.LIVE_UNFILED)),
            When(_in_flight("domain"), then=Value(S.IN_PROGRESS)),
        )
    )


class ServiceStateFilter(django_filters.ChoiceFilter):
    """`?compliance=<state>`: the services in that state (see the module's docstring)."""

    def __init__(self, *, states: tuple[str, ...], annotate, **kwargs: Any) -> None:
        kwargs.setdefault("choices", state_choices(states))
        kwargs.setdefault("label", _("Compliance"))
        super().__init__(**kwargs)
        self.annotate = annotate

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        return self.annotate(qs).filter(compliance_state=value)


class MiniProgramComplianceFilterSet(MiniProgramFilterSet):
    """The mini-program list filter with `compliance`, for pages and exports."""

    compliance = ServiceStateFilter(states=MINIPROGRAM_STATES, annotate=with_miniprogram_state)

    class Meta(MiniProgramFilterSet.Meta):
        fields = [*MiniProgramFilterSet.Meta.fields, "compliance"]


class DomainComplianceFilterSet(DomainFilterSet):
    """The domain list filter with `compliance`, for pages and exports."""

    compliance = ServiceStateFilter(states=DOMAIN_STATES, annotate=with_domain_state)

    class Meta(DomainFilterSet.Meta):
        fields = [*DomainFilterSet.Meta.fields, "compliance"]


def state_counts(qs: QuerySet[Any], annotate) -> dict[str, int]:
    """How many rows of `qs` are in each state (one grouped query)."""
    rows = annotate(qs.order_by()).values("compliance_state").annotate(n=Count("pk"))
    return {r["compliance_state"]: r["n"] for r in rows.order_by()}
