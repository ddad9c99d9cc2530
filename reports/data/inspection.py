"""The inspection readiness report: every finding an inspector would raise, by section."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from accounts.types import User
from icp import numbers
from miniprograms import selectors as register
from miniprograms.models import Operator, ServiceKind, TldStatus

Findings = dict[str, list[dict]]


def _number_problems(text: str, operator: Operator, service_type) -> list[str]:
    try:
        parsed = numbers.parse_number(text)
    except numbers.NumberError as e:
        return [e.message]
    return numbers.check_for_service(
        parsed, province_code=operator.province_id, service_type=service_type
    )


def _miniprogram_findings(
    *, user: User, operators: dict, as_of: datetime.date, found: Findings
) -> None:
    mps = register.miniprogram_list_for_user(user=user).filter(operator_id__in=operators)
    for mp in mps.order_by("operator__name_zh", "name"):
        row = {"operator": mp.operator, "service": mp.name}
        if not mp.icp_number:
            launched = mp.lifecycle == "live" or (mp.launch_date and mp.launch_date <= as_of)
            if launched and mp.lifecycle != "delisted":
                kind = _("App") if mp.kind == ServiceKind.APP else _("Mini-program")
                found["unfiled"].append({**row, "kind": kind})
            continue
        problems = _number_problems(mp.icp_number, mp.operator, mp.number_service_type)
        if problems:
            found["mismatched"].append({**row, "number": mp.icp_number, "problems": problems})


def _domain_number(d, row: dict, found: Findings) -> None:
    if not d.icp_number:
        found["unfiled"].append({**row, "kind": _("Domain")})
        return
    problems = _number_problems(d.icp_number, d.operator, numbers.ServiceType.WEBSITE)
    if problems:
        found["mismatched"].append({**row, "number": d.icp_number, "problems": problems})


def _domain_findings(*, user: User, operators: dict, as_of: datetime.date, found: Findings) -> None:
    domains = register.domain_list_for_user(user=user).filter(operator_id__in=operators)
    for d in domains.order_by("operator__name_zh", "name"):
        row = {"operator": d.operator, "service": d.display_name}
        _domain_number(d, row, found)
        if d.registrant_mismatch:
            found["holder"].append({**row, "registrant": d.registrant_name})
        if d.expires_on and d.expires_on < as_of:
            found["expired"].append({**row, "expires_on": d.expires_on})
        # Domain.tld_status trips over a LEFT JOIN that found no TLD row; read it directly.
        if getattr(d.tld, "status", None) == TldStatus.NOT_FILEABLE:
            found["not_fileable"].append({**row, "tld": d.tld_id})


def _person_findings(*, user: User, operators: dict, as_of: datetime.date, found: Findings) -> None:
    people = register.person_list_for_user(user=user).filter(
        operator_id__in=operators, id_expires_on__lt=as_of
    )
    for p in people.order_by("operator__name_zh", "name"):
        found["ids_expired"].append(
            {"operator": p.operator, "service": p.name, "expires_on": p.id_expires_on}
        )


def inspection_context(*, user: User, as_of: datetime.date, operator_id: int | None = None) -> dict:
    ops_qs = register.operator_list_for_user(user=user)
    if operator_id is not None:
        ops_qs = ops_qs.filter(pk=operator_id)
    operators = {o.pk: o for o in ops_qs}
    titles = {
        "unfiled": _("Services without a filing number"),
        "mismatched": _("Filing number does not match the province or service"),
        "holder": _("Domain holder differs from the operator"),
        "expired": _("Expired domains"),
        "not_fileable": _("Domains under a TLD that cannot be filed"),
        "ids_expired": _("Expired ID documents of responsible persons"),
    }
    found: Findings = {key: [] for key in titles}
    for collect in (_miniprogram_findings, _domain_findings, _person_findings):
        collect(user=user, operators=operators, as_of=as_of, found=found)
    sections = [(key, title, found[key]) for key, title in titles.items()]
    return {
        "sections": sections,
        "operator_count": len(operators),
        "finding_count": sum(len(rows) for rows in found.values()),
        "as_of": as_of,
        "operator": operators.get(operator_id) if operator_id else None,
    }
