"""Overview ("/") and the organization switcher (the portfolio: views/portfolio.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from accounts.switcher import SESSION_ORG_KEY, current_organization_id
from compliance import service_states
from compliance.selectors import ScopeTooLargeError, is_today
from compliance.types import ComplianceStatus
from filings.models import FilingStatus
from miniprograms.models import Platform
from miniprograms.selectors import operator_list_for_user

from .. import compliance
from ..links import worklist_url
from ..selectors import (
    filing_stage_counts,
    province_list,
    readiness_counts,
    service_chart_counts,
)
from ..waiting import KINDS as WAITING_KINDS
from ..waiting import waiting_on_us
from .common import parse_as_of, scope_to_org

STATUS_CSS: dict[str, str] = {  # keyed by the stored status value
    ComplianceStatus.OVERDUE: "bad",
    ComplianceStatus.DUE_SOON: "warn",
    ComplianceStatus.COMPLIANT: "good",
    ComplianceStatus.NOT_APPLICABLE: "muted",
}


def _rows(counts: dict[str, int]) -> list[tuple]:
    return [(label, counts[value], STATUS_CSS[value]) for value, label in ComplianceStatus.choices]


def list_url(name: str, **params: str) -> str:
    """A list page filtered by `params`: where a chart's bar leads."""
    return f"{reverse(name)}?{urlencode(params)}"


# Items by status: the open ones lead to the worklist; compliant and not-applicable items
# have no list of their own.
WORKLIST_STATUSES = (ComplianceStatus.OVERDUE, ComplianceStatus.DUE_SOON)


def _state_rows(counts: dict[str, int], states: tuple[str, ...], list_name: str) -> list[tuple]:
    return [
        (
            service_states.LABELS[s],
            counts.get(s, 0),
            service_states.BAR_CSS[s],
            list_url(list_name, compliance=s),
        )
        for s in states
    ]


def _service_charts(request, org_id: int | None) -> dict:
    """Today's charts of the register: each bar links to the list it counts."""
    counts = service_chart_counts(user=request.user, organization_id=org_id)
    mp_list = "dashboard:miniprogram_list"
    return {
        "miniprogram_state_rows": _state_rows(
            counts["miniprogram_states"], service_states.MINIPROGRAM_STATES, mp_list
        ),
        "domain_state_rows": _state_rows(
            counts["domain_states"], service_states.DOMAIN_STATES, "dashboard:domain_list"
        ),
        "platform_rows": [
            (label, counts["platforms"][value], "", list_url(mp_list, platform=value))
            for value, label in Platform.choices
            if counts["platforms"].get(value)
        ],
    }


def _too_large(error: ScopeTooLargeError, as_of) -> dict:
    """What a page shows instead of evaluating an as-of date over too many operators."""
    return {
        "too_large": error,
        "too_large_provinces": province_list(),
        "too_large_as_of": as_of,
    }


def _listing(figures: dict, name: str, today: bool) -> dict:
    """One cut list: its first rows, its total, and (today) the worklist showing all of it."""
    listing = figures[name]
    return {
        "rows": listing.rows,
        "count": listing.count,
        "cut": listing.count > len(listing.rows),
        "url": worklist_url(**compliance.WORKLIST_FILTERS[name]) if today else "",
    }


@login_required
def overview(request):
    as_of = parse_as_of(request)
    org_id = current_organization_id(request)
    today = is_today(as_of)
    context: dict = {"as_of": as_of, "is_today": today, "now": timezone.now(), "waiting": None}
    try:
        if today:
            figures = compliance.overview_today(
                user=request.user, organization_id=org_id, as_of=as_of, now=context["now"]
            )
        else:
            operators = scope_to_org(request, operator_list_for_user(user=request.user))
            figures = compliance.overview_as_of(operators=operators, as_of=as_of)
    except ScopeTooLargeError as e:
        context.update(_too_large(e, as_of))
    else:
        lists = {name: _listing(figures, name, today) for name in compliance.WORKLIST_FILTERS}
        context.update(
            {
                "status_rows": _rows(figures["status_counts"]),
                # The bars' links, in the same order (rows stay (label, value, css)).
                "status_links": [
                    worklist_url(status=value) if today and value in WORKLIST_STATUSES else ""
                    for value in ComplianceStatus.values
                ],
                "service_rows": _rows(figures["service_counts"]),
                "status_total": sum(figures["status_counts"].values()),
                "lists": lists,
                "overdue": figures["overdue"].rows,
                "overdue_count": figures["overdue"].count,
                "due_soon": figures["due_soon"].rows,
                "due_soon_count": figures["due_soon"].count,
                "stuck": figures["stuck"].rows,
                "stuck_count": figures["stuck"].count,
                "today_total": figures["today"].count,
            }
        )
    if today:
        waiting = waiting_on_us(
            user=request.user, organization_id=org_id, limit=compliance.LIST_SIZE
        )
        labels = dict(FilingStatus.choices)
        filings_url = reverse("dashboard:filing_list")
        context["waiting"] = waiting
        context["today_total"] = context.get("today_total", 0) + waiting.count
        context["waiting_counts"] = [
            (kind, labels[kind], waiting.counts[kind], f"{filings_url}?status={kind}")
            for kind in WAITING_KINDS
        ]
    stages = filing_stage_counts(
        user=request.user, organization_id=org_id, as_of=as_of, today=today
    )
    # Bars lead to today's lists: on another date they only count.
    context["stage_rows"] = [
        (label, stages.get(value, 0), f"stage-{value}") for value, label in FilingStatus.choices
    ]
    context["stage_links"] = [
        list_url("dashboard:filing_list", status=value) if today else ""
        for value in FilingStatus.values
    ]
    if today:
        context.update(_service_charts(request, org_id))
    context["filings_total"] = sum(stages.values())
    context["readiness"] = readiness_counts(user=request.user, organization_id=org_id, as_of=as_of)
    return render(request, "dashboard/overview.html", context)


@login_required
@require_POST
def switch_organization(request):
    """Remember the chosen organization ("all" or one of the user's) in the session."""
    value = request.POST.get("organization", "all")
    request.session[SESSION_ORG_KEY] = value if value == "all" or value.isdigit() else "all"
    if value != "all" and current_organization_id(request) is None:
        request.session[SESSION_ORG_KEY] = "all"
    target = request.POST.get("next") or "dashboard:overview"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "dashboard:overview"
    return redirect(target)
