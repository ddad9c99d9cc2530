"""Overview ("/"), agency portfolio and the organization switcher."""

from __future__ import annotations

import datetime
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.switcher import SESSION_ORG_KEY, current_organization_id
from compliance.types import SEVERITY, ComplianceStatus
from filings.models import FilingStatus
from miniprograms.selectors import operator_list_for_user

from .. import compliance
from ..selectors import filings_as_of, province_list, readiness_counts, staff_list_for_user
from .common import paginate, parse_as_of, scope_to_org

STATUS_CSS: dict[str, str] = {  # keyed by the stored status value
    ComplianceStatus.OVERDUE: "bad",
    ComplianceStatus.DUE_SOON: "warn",
    ComplianceStatus.COMPLIANT: "good",
    ComplianceStatus.NOT_APPLICABLE: "muted",
}


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


@login_required
def overview(request):
    as_of = parse_as_of(request)
    org_id = current_organization_id(request)
    items = compliance.items_for_user(user=request.user, as_of=as_of)
    if org_id:
        items = [i for i in items if i.organization_id == org_id]
    horizon = as_of + datetime.timedelta(days=30)
    open_items = [i for i in items if i.status != ComplianceStatus.NOT_APPLICABLE]
    overdue = sorted(
        (i for i in open_items if i.status == ComplianceStatus.OVERDUE),
        key=lambda i: (i.due_date or as_of, i.operator_name),
    )
    # Everything the engine calls "due soon", plus anything else falling due within 30 days.
    due_soon = sorted(
        (
            i
            for i in open_items
            if i.status == ComplianceStatus.DUE_SOON
            or (
                i.status != ComplianceStatus.OVERDUE
                and i.due_date
                and as_of <= i.due_date <= horizon
            )
        ),
        key=lambda i: (i.due_date or horizon, i.operator_name),
    )
    service_counts = compliance.service_status_counts(items)
    service_rows = [
        (label, service_counts[value], STATUS_CSS[value])
        for value, label in ComplianceStatus.choices
    ]
    status_counts = compliance.status_counts(items)
    status_rows = [
        (label, status_counts[value], STATUS_CSS[value])
        for value, label in ComplianceStatus.choices
    ]

    filings = list(
        filings_as_of(user=request.user, organization_id=org_id, cutoff=_end_of_day(as_of))
    )
    stage_counts = Counter(f.stage for f in filings)
    stage_rows = [(label, stage_counts.get(value, 0), f"stage-{value}")
                  for value, label in FilingStatus.choices]  # fmt: skip
    stuck = compliance.stuck_applications(items)

    r = readiness_counts(user=request.user, organization_id=org_id, as_of=as_of)
    context = {
        "as_of": as_of,
        "is_today": as_of == timezone.localdate(),
        "status_rows": status_rows,
        "service_rows": service_rows,
        "status_total": sum(status_counts.values()),
        "stage_rows": stage_rows,
        "filings_total": len(filings),
        "overdue": overdue[:15],
        "overdue_count": len(overdue),
        "due_soon": due_soon[:15],
        "due_soon_count": len(due_soon),
        "stuck": stuck[:15],
        "stuck_count": len(stuck),
        "readiness": r,
    }
    return render(request, "dashboard/overview.html", context)


PORTFOLIO_SORTS = {
    "name": lambda row: row["operator"].name_zh,
    "province": lambda row: row["operator"].province_id,
    "status": lambda row: -SEVERITY.get(row["summary"].worst, 0),
    "overdue": lambda row: -row["summary"].overdue,
    "deadline": lambda row: row["summary"].next_deadline or datetime.date.max,
}


@login_required
def portfolio(request):
    """Every client operator with its compliance summary; filter, sort, then page."""
    as_of = parse_as_of(request)
    operators = scope_to_org(request, operator_list_for_user(user=request.user))
    province = request.GET.get("province", "")
    status = request.GET.get("status", "")
    staff = request.GET.get("staff", "")
    if province:
        operators = operators.filter(province_id=province)
    if staff.isdigit():
        operators = operators.filter(assigned_memberships__pk=int(staff))
    items = compliance.items_for_user(user=request.user, as_of=as_of)
    summaries = compliance.summaries_by_operator(items, as_of=as_of)
    empty = compliance.OperatorSummary(Counter(), ComplianceStatus.NOT_APPLICABLE, None)
    rows = [{"operator": op, "summary": summaries.get(op.pk, empty)} for op in operators]
    if status in ComplianceStatus.values:
        rows = [row for row in rows if row["summary"].worst == status]
    sort = request.GET.get("sort") or "status"
    key = sort.lstrip("-")
    if key not in PORTFOLIO_SORTS:
        sort, key = "status", "status"
    rows.sort(key=lambda row: row["operator"].name_zh)
    rows.sort(key=PORTFOLIO_SORTS[key], reverse=sort.startswith("-"))
    context = {
        "as_of": as_of,
        "page_obj": paginate(request, rows),
        "sort": sort,
        "provinces": province_list(),
        "statuses": ComplianceStatus.choices,
        "staff_members": staff_list_for_user(user=request.user),
        "filters": {"province": province, "status": status, "staff": staff},
        "status_css": STATUS_CSS,
    }
    return render(request, "dashboard/portfolio.html", context)


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
