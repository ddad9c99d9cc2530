"""The agency portfolio ("/portfolio/") and its export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from audit.actions import AccessAction
from audit.services import record_event
from compliance.selectors import ScopeTooLargeError, is_today
from compliance.types import ComplianceStatus
from core.dates import parse_query_date_or_none
from miniprograms.selectors import operator_list_for_user
from reports import exports

from .. import portfolio as pf
from ..portfolio_export import export_response, portfolio_export, rows_of
from ..selectors import province_list, staff_list_for_user
from .common import paginate, parse_as_of, scope_to_org
from .overview import STATUS_CSS


def _too_large(error: ScopeTooLargeError, as_of) -> dict:
    """What the page shows instead of evaluating an as-of date over too many operators."""
    return {
        "too_large": error,
        "too_large_provinces": province_list(),
        "too_large_as_of": as_of,
    }


def _too_large_message(error: ScopeTooLargeError) -> str:
    return _(
        "Another date is evaluated for at most %(limit)d clients at once; %(n)d match. "
        "Choose a client or a province."
    ) % {"limit": error.limit, "n": error.operators}


def _staff_choices(user) -> list[tuple[int, str]]:
    """(user id, name) of the agency staff the user may filter by, each person once."""
    seen: dict[int, str] = {}
    for m in staff_list_for_user(user=user):
        seen.setdefault(m.user_id, m.user.get_full_name() or m.user.get_username())
    return list(seen.items())


def _with_labels(rows: list[dict]) -> list[dict]:
    """The counted phrases of each row, translated once here rather than by a template tag
    per cell (four blocktranslate tags per row were most of a 200-row page's time)."""
    for row in rows:
        n = row["summary"].takedown_risk
        row["takedown_label"] = ngettext(
            "%(counter)s takedown risk", "%(counter)s takedown risks", n
        ) % {"counter": n}
        days = row["overdue_days"]
        if row["overdue_since"] is not None:
            row["overdue_label"] = ngettext(
                "overdue since %(d)s, %(days)s day", "overdue since %(d)s, %(days)s days", days
            ) % {"d": row["overdue_since"].isoformat(), "days": days}
        n = row["miniprograms"]
        row["miniprograms_label"] = ngettext(
            "%(counter)s mini-program/app", "%(counter)s mini-programs/apps", n
        ) % {"counter": n}
        n = row["domains"]
        row["domains_label"] = ngettext("%(counter)s domain", "%(counter)s domains", n) % {
            "counter": n
        }
    return rows


def _operators(request, query: pf.PortfolioQuery):
    operators = scope_to_org(request, operator_list_for_user(user=request.user))
    return pf.filter_operators(operators, query, user=request.user)


@login_required
@require_GET
def portfolio(request):
    """Every client operator with its compliance summary; filter, search, sort, then page
    (in SQL today; another date evaluates a bounded scope, or asks for a client or province).
    Invalid parameters show their errors and no rows, never a silently wider list."""
    as_of = parse_as_of(request)
    query, errors = pf.parse_query(request.GET)
    context = {
        "as_of": as_of,
        "query": query,
        "sort": query.sort,
        "page_sizes": pf.PAGE_SIZES,
        "provinces": province_list(),
        "statuses": ComplianceStatus.choices,
        "staff_members": _staff_choices(request.user),
        "filters": {
            "province": query.province,
            "status": query.status,
            "staff": query.staff,
            "q": query.q,
        },
        "filter_errors": errors,
        "status_css": STATUS_CSS,
        "export_query": request.GET.urlencode(),
    }
    operators = _operators(request, query)
    if errors:
        operators = operators.none()
    if is_today(as_of):
        qs = pf.portfolio_today(operators, status=query.status, sort=query.sort)
        page = paginate(request, qs, per_page=query.page_size)
        page.object_list = _with_labels(pf.portfolio_rows(page.object_list, as_of=as_of))
        context["page_obj"] = page
    else:
        try:
            rows = pf.portfolio_as_of(operators, as_of=as_of, status=query.status, sort=query.sort)
        except ScopeTooLargeError as e:
            context.update(_too_large(e, as_of))
            rows = []
        page = paginate(request, rows, per_page=query.page_size)
        page.object_list = _with_labels(list(page.object_list))
        context["page_obj"] = page
    return render(request, "dashboard/portfolio.html", context)


@login_required
@require_GET
def portfolio_export_view(request, fmt: str):
    """The portfolio with the page's filters, search and order, every row, as CSV or XLSX.
    Bad parameters: 400 naming them; another date over too large a scope: 400 too."""
    if fmt not in exports.FORMATS:
        raise Http404(_("Not found."))
    query, errors = pf.parse_query(request.GET)
    raw_as_of = (request.GET.get("as_of") or "").strip()
    parsed = parse_query_date_or_none(raw_as_of) if raw_as_of else timezone.localdate()
    if parsed is None:
        message = _("“%(value)s” is not a date; use the form YYYY-MM-DD.")
        errors.append(message % {"value": raw_as_of})
    if errors or parsed is None:
        return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")
    as_of = parsed
    record_event(
        AccessAction.EXPORTED,
        actor=request.user,
        request=request,
        detail={"resource": "portfolio", "format": fmt, "as_of": as_of.isoformat()},
    )
    operators = _operators(request, query)
    if is_today(as_of):
        qs = pf.portfolio_today(operators, status=query.status, sort=query.sort)
        return export_response(portfolio_export(rows_of(qs, as_of=as_of)), fmt)
    try:
        rows = pf.portfolio_as_of(operators, as_of=as_of, status=query.status, sort=query.sort)
    except ScopeTooLargeError as e:
        return HttpResponseBadRequest(
            _too_large_message(e), content_type="text/plain; charset=utf-8"
        )
    return export_response(portfolio_export(rows), fmt)
