"""Service lines shared by the reports: every mini-program and domain with its status."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.types import User
from filings.models import FilingApplication, FilingStatus
from filings.selectors import filing_list_for_user
from miniprograms import selectors as register
from miniprograms.models import Operator

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


def status_label(value: str) -> str:
    if value == NO_APPLICATION:
        return _("No application")
    return str(FilingStatus(value).label)


def _latest_filings(
    *, user: User, operator_ids: list[int]
) -> tuple[dict[int, FilingApplication], dict[int, FilingApplication]]:
    """Latest application per mini-program and per domain (one query)."""
    by_mp: dict[int, FilingApplication] = {}
    by_domain: dict[int, FilingApplication] = {}
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
        elif f.domain_id:  # always, given the filter above
            by_domain[f.domain_id] = f
    return by_mp, by_domain


def service_lines(*, user: User, operators) -> list[ServiceLine]:
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
                filing_status_label=status_label(status),
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
                filing_status_label=status_label(status),
            )
        )
    lines.sort(key=lambda s: (s.operator.name_zh, s.operator.pk, s.kind != "miniprogram", s.name))
    return lines


def count_services(*, user: User, operator_id: int | None = None) -> int:
    """Size of a report, to decide between rendering at once and a background task."""
    mps = register.miniprogram_list_for_user(user=user)
    domains = register.domain_list_for_user(user=user)
    if operator_id is not None:
        mps, domains = mps.filter(operator_id=operator_id), domains.filter(operator_id=operator_id)
    return mps.count() + domains.count()
