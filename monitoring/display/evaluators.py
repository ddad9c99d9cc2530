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

from django.db.models import Q

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
    rows = list(
        Domain.objects.filter(scope, live_since__isnull=False, live_since__lte=ctx.as_of)
        .exclude(icp_number="")
        .order_by()
        .values("id", "name", "icp_number", *OPERATOR_FIELDS)
    )
    if not rows:
        return
    last = {
        c["domain_id"]: c
        for c in DisplayCheck.objects.filter(
            domain_id__in=[r["id"] for r in rows], status=CheckStatus.DONE
        )
        .order_by("domain_id", "-finished_at", "-pk")
        .distinct("domain_id")
        .values("domain_id", "finished_at", "findings", "icp_number")
    }
    switched_off = set(
        MonitoringSettings.objects.filter(display_enabled=False).values_list(
            "organization_id", flat=True
        )
    )
    for row in rows:
        yield _item(row, last.get(row["id"]), off=row["operator__organization_id"] in switched_off)


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
