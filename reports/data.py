"""What goes into each PDF report, read through the user-scoped selectors.

The functions return plain dicts for templates/pdf/*.html; compliance items come from the
same user-scoped selector as the dashboard and the API.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from compliance.selectors import compliance_items_for_user
from compliance.types import ComplianceStatus
from core.pii import mask_phone
from documents.selectors import document_list_for_user
from filings import numbers
from filings.models import FilingStatusChange
from filings.selectors import filing_list_for_user
from filings.workflow import FilingStatus
from miniprograms import selectors as register
from miniprograms.models import Operator, ServiceKind, TldStatus

_SERVICE_TYPE = {
    ServiceKind.MINIPROGRAM: numbers.ServiceType.MINIPROGRAM,
    ServiceKind.APP: numbers.ServiceType.APP,
    ServiceKind.QUICKAPP: numbers.ServiceType.QUICKAPP,
}
NO_APPLICATION = "none"


@dataclass
class ServiceLine:
    kind: str  # "miniprogram" | "domain"
    id: int
    operator: Operator
    name: str
    detail: str  # platform + AppID, or registrar
    icp_number: str
    filing_status: str  # FilingStatus value or NO_APPLICATION
    filing_status_label: str
    compliance: str = ""  # worst ComplianceStatus of the service's items, "" if unknown
    compliance_label: str = ""
    problems: list[str] = field(default_factory=list)


def _status_label(value: str) -> str:
    if value == NO_APPLICATION:
        return _("No application")
    return str(FilingStatus(value).label)


def _latest_filings(*, user, operator_ids) -> tuple[dict[int, object], dict[int, object]]:
    """Latest application per mini-program and per domain (one query)."""
    by_mp: dict[int, object] = {}
    by_domain: dict[int, object] = {}
    qs = (
        filing_list_for_user(user=user)
        .filter(operator_id__in=operator_ids)
        .filter(Q(miniprogram__isnull=False) | Q(domain__isnull=False))
        .select_related(None)
        .order_by("created_at", "id")
        .only("id", "miniprogram_id", "domain_id", "status", "icp_number", "created_at")
    )
    for f in qs:
        if f.miniprogram_id:
            by_mp[f.miniprogram_id] = f
        else:
            by_domain[f.domain_id] = f
    return by_mp, by_domain


def service_lines(*, user, operators) -> list[ServiceLine]:
    """Every mini-program/app and domain of `operators` with its number and latest status."""
    op_ids = [o.pk for o in operators]
    by_id = {o.pk: o for o in operators}
    by_mp, by_domain = _latest_filings(user=user, operator_ids=op_ids)
    lines: list[ServiceLine] = []
    mps = register.miniprogram_list_for_user(user=user).filter(operator_id__in=op_ids)
    for mp in mps.order_by("operator__name_zh", "name", "id"):
        f = by_mp.get(mp.pk)
        status = f.status if f else NO_APPLICATION
        lines.append(
            ServiceLine(
                kind="miniprogram",
                id=mp.pk,
                operator=by_id[mp.operator_id],
                name=mp.name,
                detail=f"{mp.get_platform_display()} · {mp.appid}",
                icp_number=mp.icp_number,
                filing_status=status,
                filing_status_label=_status_label(status),
            )
        )
    domains = register.domain_list_for_user(user=user).filter(operator_id__in=op_ids)
    for d in domains.order_by("operator__name_zh", "name", "id"):
        f = by_domain.get(d.pk)
        status = f.status if f else NO_APPLICATION
        lines.append(
            ServiceLine(
                kind="domain",
                id=d.pk,
                operator=by_id[d.operator_id],
                name=d.display_name,
                detail=d.registrar,
                icp_number=d.icp_number,
                filing_status=status,
                filing_status_label=_status_label(status),
            )
        )
    lines.sort(key=lambda s: (s.operator.name_zh, s.operator.pk, s.kind != "miniprogram", s.name))
    return lines


_SEVERITY = {"overdue": 3, "due_soon": 2, "compliant": 1, "not_applicable": 0}


def _attach_compliance(lines: list[ServiceLine], items: list) -> None:
    worst: dict[tuple[str, int], str] = {}
    for it in items:
        key = (it.subject_type, it.subject_id)
        if _SEVERITY.get(it.status, 0) > _SEVERITY.get(worst.get(key, ""), -1):
            worst[key] = it.status
    for line in lines:
        line.compliance = worst.get((line.kind, line.id), "")
        if line.compliance:
            line.compliance_label = str(ComplianceStatus(line.compliance).label)


def _open_items(items: list) -> tuple[list, list]:
    overdue = sorted(
        (i for i in items if i.status == "overdue"),
        key=lambda i: (i.due_date or datetime.date.min, i.operator_name),
    )
    due_soon = sorted(
        (i for i in items if i.status == "due_soon"),
        key=lambda i: (i.due_date or datetime.date.max, i.operator_name),
    )
    return overdue, due_soon


# -- dossier ---------------------------------------------------------------------------------


def _documents(*, user, operator: Operator) -> list[dict]:
    """Pre-approvals, ICP licences and uploaded documents of the operator, with expiry."""
    docs: list[dict] = [
        {
            "type": _("Pre-approval"),
            "name": pa.category,
            "number": pa.licence_number,
            "expires_on": pa.expires_on,
        }
        for pa in register.preapproval_list_for_user(user=user).filter(operator=operator)
    ]
    docs += [
        {
            "type": _("ICP licence"),
            "name": lic.scope,
            "number": lic.number,
            "expires_on": lic.expires_on,
        }
        for lic in register.licence_list_for_user(user=user).filter(operator=operator)
    ]
    docs += [
        {
            "type": d.get_doc_type_display(),
            "name": d.name,
            "number": "",
            "expires_on": d.expires_on,
        }
        for d in document_list_for_user(user=user).filter(operator=operator)
    ]
    return docs


def dossier_context(*, user, operator_id: int, as_of: datetime.date) -> dict:
    """Raises Operator.DoesNotExist for missing and not-yours alike."""
    operator = register.operator_get_for_user(user=user, operator_id=operator_id)
    people = [
        {
            "name": p.name,
            "role": p.get_role_display(),
            "id_type": p.get_id_type_display(),
            "id_number": p.id_number_masked,  # always masked in PDFs: they travel
            "id_expires_on": p.id_expires_on,
            "mobile": mask_phone(p.mobile),
            "service": (p.miniprogram.name if p.miniprogram_id else "")
            or (p.domain.display_name if p.domain_id else ""),
        }
        for p in register.person_list_for_user(user=user).filter(operator=operator)
    ]
    lines = service_lines(user=user, operators=[operator])
    history = FilingStatusChange.objects.select_related("actor").prefetch_related("reasons")
    filings = list(
        filing_list_for_user(user=user)
        .filter(operator=operator)
        .prefetch_related(Prefetch("status_changes", queryset=history))
        .order_by("created_at", "id")
    )
    items = compliance_items_for_user(user=user, as_of=as_of, operator_id=operator.pk)
    _attach_compliance(lines, items)
    overdue, due_soon = _open_items(items)
    return {
        "operator": operator,
        "people": people,
        "services": lines,
        "filings": filings,
        "overdue": overdue,
        "due_soon": due_soon,
        "documents": _documents(user=user, operator=operator),
        "as_of": as_of,
    }


# -- portfolio -------------------------------------------------------------------------------


def _bar_chart_svg(counts: list[tuple[str, int]], *, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG (no external fonts or images)."""
    bar_h, gap, label_w = 18, 6, 200
    total_h = max(1, len(counts)) * (bar_h + gap) + gap
    top = max((n for _, n in counts), default=0) or 1
    palette = ["#2f6fab", "#3c8d5a", "#c58b1b", "#b23b3b", "#6b5ca5", "#4a8f99", "#7f7f7f"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h}" '
        f'viewBox="0 0 {width} {total_h}" class="chart">'
    ]
    for i, (label, n) in enumerate(counts):
        y = gap + i * (bar_h + gap)
        w = round((width - label_w - 60) * n / top)
        colour = palette[i % len(palette)]
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="10">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{bar_h}" '
            f'fill="{colour}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 13}" font-size="10">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def portfolio_context(*, user, as_of: datetime.date, progress=None) -> dict:
    operators = list(register.operator_list_for_user(user=user).order_by("name_zh", "id"))
    if progress:
        progress(10)
    lines = service_lines(user=user, operators=operators)
    if progress:
        progress(30)
    items = compliance_items_for_user(user=user, as_of=as_of)
    _attach_compliance(lines, items)
    if progress:
        progress(45)
    overdue, due_soon = _open_items(items)
    with_services = {line.operator.pk for line in lines}
    by_status = Counter(line.filing_status for line in lines)
    status_rows = [
        (_status_label(s), by_status[s])
        for s in [*FilingStatus.values, NO_APPLICATION]
        if by_status[s]
    ]
    by_province: dict[str, dict] = defaultdict(lambda: {"operators": 0, "services": 0})
    for op in operators:
        by_province[op.province.name_zh]["operators"] += 1
    for line in lines:
        by_province[line.operator.province.name_zh]["services"] += 1
    return {
        "operators": operators,
        "services": lines,
        "bare_operators": [o for o in operators if o.pk not in with_services],
        "status_totals": status_rows,
        "province_totals": sorted(by_province.items()),
        "chart_svg": _bar_chart_svg(status_rows),
        "overdue": overdue,
        "due_soon": due_soon,
        "total_services": len(lines),
        "as_of": as_of,
    }


# -- inspection readiness --------------------------------------------------------------------


def inspection_context(*, user, as_of: datetime.date, operator_id: int | None = None) -> dict:
    ops_qs = register.operator_list_for_user(user=user)
    if operator_id is not None:
        ops_qs = ops_qs.filter(pk=operator_id)
    operators = {o.pk: o for o in ops_qs}
    unfiled, mismatched, holder, expired, not_fileable, ids_expired = [], [], [], [], [], []

    mps = register.miniprogram_list_for_user(user=user).filter(operator_id__in=operators)
    for mp in mps.order_by("operator__name_zh", "name"):
        launched = mp.lifecycle == "live" or (mp.launch_date and mp.launch_date <= as_of)
        if not mp.icp_number:
            if launched and mp.lifecycle != "delisted":
                unfiled.append(
                    {
                        "operator": mp.operator,
                        "service": mp.name,
                        "kind": _("App") if mp.kind == ServiceKind.APP else _("Mini-program"),
                    }
                )
            continue
        problems = _number_problems(mp.icp_number, mp.operator, _SERVICE_TYPE[mp.kind])
        if problems:
            mismatched.append(
                {
                    "operator": mp.operator,
                    "service": mp.name,
                    "number": mp.icp_number,
                    "problems": problems,
                }
            )

    domains = register.domain_list_for_user(user=user).filter(operator_id__in=operators)
    for d in domains.order_by("operator__name_zh", "name"):
        row = {"operator": d.operator, "service": d.display_name}
        if not d.icp_number:
            unfiled.append({**row, "kind": _("Domain")})
        else:
            problems = _number_problems(d.icp_number, d.operator, numbers.ServiceType.WEBSITE)
            if problems:
                mismatched.append({**row, "number": d.icp_number, "problems": problems})
        if d.registrant_mismatch:
            holder.append({**row, "registrant": d.registrant_name})
        if d.expires_on and d.expires_on < as_of:
            expired.append({**row, "expires_on": d.expires_on})
        # Domain.tld_status trips over a LEFT JOIN that found no TLD row; read it directly.
        if getattr(d.tld, "status", None) == TldStatus.NOT_FILEABLE:
            not_fileable.append({**row, "tld": d.tld_id})

    people = register.person_list_for_user(user=user).filter(
        operator_id__in=operators, id_expires_on__lt=as_of
    )
    for p in people.order_by("operator__name_zh", "name"):
        ids_expired.append(
            {"operator": p.operator, "service": p.name, "expires_on": p.id_expires_on}
        )
    sections = [
        ("unfiled", _("Services without a filing number"), unfiled),
        ("mismatched", _("Filing number does not match the province or service"), mismatched),
        ("holder", _("Domain holder differs from the operator"), holder),
        ("expired", _("Expired domains"), expired),
        ("not_fileable", _("Domains under a TLD that cannot be filed"), not_fileable),
        ("ids_expired", _("Expired ID documents of responsible persons"), ids_expired),
    ]
    return {
        "sections": sections,
        "operator_count": len(operators),
        "finding_count": sum(len(rows) for _k, _t, rows in sections),
        "as_of": as_of,
        "operator": operators.get(operator_id) if operator_id else None,
    }


def _number_problems(text: str, operator: Operator, service_type) -> list[str]:
    try:
        parsed = numbers.parse_number(text)
    except numbers.NumberError as e:
        return [e.message]
    return numbers.check_for_service(
        parsed, province_code=operator.province_id, service_type=service_type
    )


def count_services(*, user, operator_id: int | None = None) -> int:
    """Size of a report, to decide between rendering at once and a background task."""
    mps = register.miniprogram_list_for_user(user=user)
    domains = register.domain_list_for_user(user=user)
    if operator_id is not None:
        mps, domains = mps.filter(operator_id=operator_id), domains.filter(operator_id=operator_id)
    return mps.count() + domains.count()
