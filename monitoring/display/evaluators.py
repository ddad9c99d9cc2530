"""Compliance rule `site_display`: one item per live filed website, judged by its last check.

Compliant after a check of a correct page; overdue when the last check found an error (the
fixes follow the message); due soon when it found only warnings, when the site was never
checked, or when the number on record changed since. The checks themselves run in tasks;
this only reads their stored findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery

from compliance.engine.base import OPERATOR_FIELDS, Ctx, R, S, _, beijing_date, iso, make_item
from compliance.messages import Note
from compliance.registry import rule
from compliance.types import EvaluatedItem
from icp.display_texts import FINDING_TEXTS
from icp.identifiers import domain_display
from miniprograms.models import Domain

from ..models.display import CheckStatus, DisplayCheck, MonitoringSettings

_KEY = re.compile(r"%\((\w+)\)s")


def finding_note(finding: dict) -> Note:
    """A stored finding as a sentence: what is wrong — how to fix it (translated when read)."""
    code = str(finding.get("code", ""))
    title, fix = FINDING_TEXTS.get(code, (code, ""))
    raw = finding.get("values") or {}
    values = {k: str(raw.get(k, "")) for k in _KEY.findall(title + fix)}
    what = Note(title, values) if values or "%" not in title else Note(title)
    if not fix:
        return what
    return _("%(what)s: %(fix)s") % {"what": what, "fix": Note(fix, values)}


@rule(R.SITE_DISPLAY)
def display_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    if not ctx.wants(R.SITE_DISPLAY):
        return
    # One statement: each site with its last finished check and its organization's switch.
    last = DisplayCheck.objects.filter(domain_id=OuterRef("pk"), status=CheckStatus.DONE).order_by(
        "-finished_at", "-pk"
    )
    rows = (
        Domain.objects.filter(scope, live_since__isnull=False, live_since__lte=ctx.as_of)
        .exclude(icp_number="")
        .order_by()
        .values("id", "name", "icp_number", *OPERATOR_FIELDS)
        .annotate(
            check_finished_at=Subquery(last.values("finished_at")[:1]),
            check_findings=Subquery(last.values("findings")[:1]),
            check_icp_number=Subquery(last.values("icp_number")[:1]),
            display_off=Exists(
                MonitoringSettings.objects.filter(
                    organization_id=OuterRef("organization_id"), display_enabled=False
                )
            ),
        )
    )
    for row in rows:
        check = None
        if row["check_finished_at"] is not None:
            check = {
                "finished_at": row["check_finished_at"],
                "findings": row["check_findings"],
                "icp_number": row["check_icp_number"],
            }
        yield _item(row, check, off=row["display_off"])


def _item(row: dict, check: Mapping[str, Any] | None, *, off: bool = False) -> EvaluatedItem:
    name = domain_display(row["name"])
    values: dict = {"name": name}
    due = None
    if off:
        status = S.NOT_APPLICABLE
        msg = _("Display checks are switched off for the organization of %(name)s.")
    elif check is None:
        status = S.DUE_SOON
        msg = _("%(name)s has not been checked yet: its home page is fetched at the next sweep.")
    elif check["icp_number"] != row["icp_number"]:
        status = S.DUE_SOON
        msg = _("The filing number of %(name)s changed since its last check: check it again.")
    else:
        day = beijing_date(check["finished_at"])
        findings = check["findings"] or []
        errors = [f for f in findings if f.get("severity") == "error"]
        values |= {"date": iso(day), "count": len(findings)}
        if not findings:
            status = S.COMPLIANT
            msg = _("%(name)s showed its numbers correctly when checked on %(date)s.")
        else:
            status = S.OVERDUE if errors else S.DUE_SOON
            due = day if errors else None
            msg = _("The check of %(name)s on %(date)s found %(count)d problem(s).")
            message = msg % values
            for f in findings:
                message = message + finding_note(f)
            return _make(row, name, status, due, message)
    return _make(row, name, status, due, msg % values)


def _make(row: dict, name: str, status: str, due, message: Note) -> EvaluatedItem:
    return make_item(
        R.SITE_DISPLAY, "domain", row, name=name, status=status, due=due, message=message
    )
