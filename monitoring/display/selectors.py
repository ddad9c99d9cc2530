"""Reads of the display checker, scoped through accounts.access (another organization's
check answers DoesNotExist exactly like a missing one).
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.access import operator_scope_q
from accounts.types import User
from icp.display_texts import display_snippet, finding_fix, finding_title
from miniprograms.models import Domain
from miniprograms.selectors import domain_list_for_user

from ..models.display import OPEN_STATUSES, CheckStatus, DisplayCheck
from . import services


def check_list_for_user(*, user: User) -> QuerySet[DisplayCheck]:
    """Checks of the sites of the operators `user` sees, newest first."""
    return (
        DisplayCheck.objects.filter(
            operator_scope_q(user=user, prefix="operator__", organization_path="organization_id")
        )
        .select_related("domain", "operator")
        .defer("html_gz")
        .order_by("-queued_at", "-pk")
    )


def check_get_for_user(*, user: User, check_id: int) -> DisplayCheck:
    """Raises DisplayCheck.DoesNotExist for missing and not-yours alike."""
    return (
        DisplayCheck.objects.filter(
            operator_scope_q(user=user, prefix="operator__", organization_path="organization_id")
        )
        .select_related("domain", "operator")
        .get(pk=check_id)
    )


def domain_get_for_user(*, user: User, domain_id: int) -> Domain:
    """Raises Domain.DoesNotExist for missing and not-yours alike."""
    return domain_list_for_user(user=user).get(pk=domain_id)


def snippet_for(domain: Domain) -> str:
    """The footer to paste for a filed site ("" while it has no number)."""
    if not domain.icp_number:
        return ""
    return display_snippet(
        icp_number=domain.icp_number,
        psb_number=domain.psb_number,
        badge_src=settings.DISPLAY_PSB_BADGE_SRC,
    )


@dataclass
class DomainDisplay:
    """What the domain page shows of the checker."""

    last: DisplayCheck | None
    open: DisplayCheck | None
    history: list[DisplayCheck]
    next_at: datetime.datetime | None
    snippet: str


def domain_display(*, domain: Domain, history: int = 10) -> DomainDisplay:
    """The checks of one site the user already sees: last, open, history, next, snippet."""
    checks = list(
        DisplayCheck.objects.filter(domain=domain)
        .defer("html_gz")
        .order_by("-queued_at", "-pk")[: history + 1]
    )
    done = [c for c in checks if c.status == CheckStatus.DONE]
    open_ = next((c for c in checks if c.status in OPEN_STATUSES), None)
    cadence = services.organization_cadences().get(
        domain.organization_id, services.DEFAULT_CADENCE_DAYS
    )
    last = done[0] if done else None
    live = domain.live_since is not None and bool(domain.icp_number)
    next_at = services.next_check_at(last.finished_at if last else None, cadence) if live else None
    return DomainDisplay(last, open_, done[:history], next_at, snippet_for(domain))


@dataclass
class SiteRow:
    """A site on the monitoring page."""

    domain: Domain
    last: DisplayCheck | None
    next_at: datetime.datetime | None


def latest_per_domain(checks: QuerySet[DisplayCheck]) -> QuerySet[DisplayCheck]:
    """The newest of `checks` for each site. Portable: DISTINCT ON, the PostgreSQL way, does
    not exist on SQLite (the embedded default).
    """
    newest = (
        checks.filter(domain_id=OuterRef("domain_id")).order_by("-finished_at", "-pk").values("pk")
    )
    return checks.filter(pk=Subquery(newest[:1]))


def monitoring_overview(*, user: User, organization_id: int | None = None) -> dict:
    """The monitoring page: each live filed site with its last and next check, the findings
    of the last checks counted by kind, and the recent history.
    """
    today = timezone.localdate()
    domains = domain_list_for_user(user=user).filter(services.live_domains_q(today))
    checks = check_list_for_user(user=user)
    if organization_id is not None:
        domains = domains.filter(organization_id=organization_id)
        checks = checks.filter(organization_id=organization_id)
    domains = domains.annotate(
        last_done=Max("display_checks__finished_at", filter=Q(display_checks__status="done"))
    ).order_by("name")
    latest = {c.domain_id: c for c in latest_per_domain(checks.filter(status=CheckStatus.DONE))}
    cadences = services.organization_cadences()
    rows = [
        SiteRow(
            d,
            latest.get(d.pk),
            services.next_check_at(
                d.last_done, cadences.get(d.organization_id, services.DEFAULT_CADENCE_DAYS)
            ),
        )
        for d in domains
    ]
    by_kind: dict[str, int] = {}
    for c in latest.values():
        for f in c.findings:
            by_kind[f["code"]] = by_kind.get(f["code"], 0) + 1
    status_counts = checks.aggregate(
        queued=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )
    return {
        "rows": rows,
        "by_kind": sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])),
        "history": list(checks.filter(status=CheckStatus.DONE)[:50]),
        "open_count": status_counts["queued"],
        "checked": len(latest),
        "passing": sum(1 for c in latest.values() if not c.findings),
    }


def dossier_display(*, user: User, operator_id: int) -> list[dict]:
    """The operator's live filed sites with the evidence of their last check, for the
    dossier PDF: when, where, the result, each finding with its fix, the screenshot.
    """
    today = timezone.localdate()
    domains = (
        domain_list_for_user(user=user)
        .filter(services.live_domains_q(today), operator_id=operator_id)
        .order_by("name")
    )
    latest = {
        c.domain_id: c
        for c in latest_per_domain(
            DisplayCheck.objects.filter(domain__in=domains, status=CheckStatus.DONE)
        ).defer("html_gz")
    }
    out = []
    for d in domains:
        c = latest.get(d.pk)
        shot = ""
        if c is not None and c.screenshot:
            try:
                with c.screenshot.open("rb") as fh:
                    shot = "data:image/png;base64," + base64.b64encode(fh.read()).decode()
            except OSError:
                shot = ""
        out.append(
            {
                "domain": d.display_name,
                "icp_number": d.icp_number,
                "check": c,
                "findings": [
                    {
                        "severity": f.get("severity", ""),
                        "title": finding_title(f["code"], f.get("values") or {}),
                        "fix": finding_fix(f["code"], f.get("values") or {}),
                    }
                    for f in (c.findings if c else [])
                ],
                "screenshot": shot,
            }
        )
    return out
