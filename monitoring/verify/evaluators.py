"""Rules about_screen_check, miit_record_check and miit_record_mismatch (issue #13 §4, §5).

One query per kind of service (mini-programs/apps, domains) with the last verification of
each kind, the last approved change filing and the last lookup as subqueries; judged in
Python with monitoring.verify.cadence. Everything "as of" the evaluated day: a verification,
change or lookup after that day does not count.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from compliance.engine.base import (
    ALWAYS,
    BEIJING,
    OPERATOR_FIELDS,
    Ctx,
    R,
    S,
    _,
    approved_at_subquery,
    beijing_date,
    filed_on,
    iso,
    make_item,
    next_change,
)
from compliance.engine.services import KIND_LABELS
from compliance.messages import Note
from compliance.registry import rule
from compliance.types import EvaluatedItem
from filings.models import FilingKind, FilingStatus, FilingStatusChange
from icp.identifiers import domain_display
from icp.number_parts import ICP_QUERY_URL
from miniprograms.models import Domain, MiniProgram
from monitoring.models.verify import LookupStatus, MiitLookup, ServiceVerification
from monitoring.models.verify import VerificationKind as K

from .cadence import CHANGED, NEVER, next_due, same_entity, same_number
from .subjects import FILED_DOMAIN_Q, FILED_MINIPROGRAM_Q, query_text

CODES = (R.ABOUT_SCREEN_CHECK, R.MIIT_RECORD_CHECK, R.MIIT_RECORD_MISMATCH)
ONE = datetime.timedelta(days=1)


def _end_of(as_of: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(as_of + ONE, datetime.time.min, tzinfo=BEIJING)


def _annotations(ctx: Ctx, subject: str) -> dict[str, Any]:
    end = _end_of(ctx.as_of)

    def verified(kind: str) -> Subquery:
        return Subquery(
            ServiceVerification.objects.filter(
                **{subject: OuterRef("pk")}, kind=kind, verified_on__lte=ctx.as_of
            )
            .order_by("-verified_on")
            .values("verified_on")[:1]
        )

    lookups = (
        MiitLookup.objects.filter(**{subject: OuterRef("pk")}, queried_at__lt=end)
        .exclude(status=LookupStatus.ERROR)
        .order_by("-queried_at", "-id")
    )
    return {
        "approved_at": approved_at_subquery(subject),
        "changed_at": Subquery(
            FilingStatusChange.objects.filter(
                **{f"filing__{subject}": OuterRef("pk")},
                filing__kind=FilingKind.CHANGE,
                to_status=FilingStatus.APPROVED,
                created_at__lt=end,
            )
            .order_by("-created_at")
            .values("created_at")[:1]
        ),
        "about_on": verified(K.ABOUT_SCREEN),
        "miit_on": verified(K.MIIT_LOOKUP),
        "lookup_at": Subquery(lookups.values("queried_at")[:1]),
        "lookup_status": Subquery(lookups.values("status")[:1]),
        "lookup_entity": Subquery(lookups.values("entity_name")[:1]),
        "lookup_number": Subquery(lookups.values("number")[:1]),
    }


@rule(*CODES)
def verify_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    """Verifications of filed services: About screens of apps, MIIT records of every service."""
    if not ctx.wants(*CODES):
        return
    mps = (
        MiniProgram.objects.filter(scope)
        .filter(FILED_MINIPROGRAM_Q)
        .order_by()
        .values("id", "name", "kind", "icp_number", "created_at", *OPERATOR_FIELDS)
        .annotate(**_annotations(ctx, "miniprogram"))
    )
    for row in mps:
        yield from _judge(ctx, row, "miniprogram")
    if ctx.wants(R.MIIT_RECORD_CHECK, R.MIIT_RECORD_MISMATCH):
        domains = (
            Domain.objects.filter(scope)
            .filter(FILED_DOMAIN_Q)
            .order_by()
            .values("id", "name", "icp_number", "created_at", *OPERATOR_FIELDS)
            .annotate(**_annotations(ctx, "domain"))
        )
        for row in domains:
            yield from _judge(ctx, row, "domain")


def _judge(ctx: Ctx, row: dict, subject_type: str) -> Iterator[EvaluatedItem]:
    filed = filed_on(row, ctx.as_of)
    if filed is None:
        return
    # Checks count from the filing, or from when the register learned of the service if that
    # is later (an imported number, a service entered long after its approval): nobody could
    # verify what the register did not know.
    known = min(beijing_date(row["created_at"]), ctx.as_of)
    filed = known if filed is ALWAYS else max(filed, known)
    changed = beijing_date(row["changed_at"]) if row["changed_at"] else None
    if subject_type == "domain":
        name = domain_display(row["name"])
        label: Note = _("Site %(name)s") % {"name": name}
    else:
        name = row["name"]
        label = _("%(kind)s “%(name)s”") % {"kind": _(KIND_LABELS[row["kind"]]), "name": name}
    query = query_text(service_type=subject_type, name=row["name"])
    base = {"s": label, "number": row["icp_number"], "query": query, "url": ICP_QUERY_URL}
    look = _lookup(ctx, row)
    if subject_type == "miniprogram" and R.ABOUT_SCREEN_CHECK in ctx.params:
        yield _about_screen(ctx, row, name, base, filed, changed)
    if R.MIIT_RECORD_CHECK in ctx.params:
        yield _record_check(ctx, row, subject_type, name, base, filed, changed, look)
    if R.MIIT_RECORD_MISMATCH in ctx.params and look is not None:
        yield _mismatch(ctx, row, subject_type, name, base, look)


def _status(ctx: Ctx, due: datetime.date, warn: int) -> str:
    if ctx.as_of > due:
        return S.OVERDUE
    if (due - ctx.as_of).days <= warn:
        return S.DUE_SOON
    return S.COMPLIANT


def _about_screen(
    ctx: Ctx,
    row: dict,
    name: str,
    base: dict[str, Any],
    filed: datetime.date,
    changed: datetime.date | None,
) -> EvaluatedItem:
    rule = R.ABOUT_SCREEN_CHECK
    p = ctx.params[rule]
    verified = row["about_on"]
    due = next_due(
        filed=filed,
        changed=changed,
        verified=verified,
        every_days=p["every_days"],
        after_change_days=p["after_change_days"],
    )
    status = _status(ctx, due.date, p["warn_days"])
    values = {
        **base,
        "due": iso(due.date),
        "verified": iso(verified) if verified else "",
        "changed": iso(changed) if changed else "",
    }
    if due.reason == NEVER:
        msg = _(
            "Check that the About screen of %(s)s shows %(number)s (linked to %(url)s) and "
            "upload a screenshot by %(due)s."
        )
    elif due.reason == CHANGED:
        msg = _(
            "A change filing of %(s)s was approved on %(changed)s: check again that its About "
            "screen shows %(number)s and upload a screenshot by %(due)s."
        )
    elif status == S.COMPLIANT:
        msg = _(
            "The About screen of %(s)s was verified on %(verified)s to show %(number)s; next "
            "check by %(due)s."
        )
    else:
        msg = _(
            "The About screen of %(s)s was last verified on %(verified)s: check again that it "
            "shows %(number)s and upload a screenshot by %(due)s."
        )
    return make_item(
        rule,
        "miniprogram",
        row,
        name=name,
        status=status,
        due=due.date,
        message=msg % values,
        changes_on=next_change(
            ctx.as_of, due.date - datetime.timedelta(days=p["warn_days"]), due.date + ONE
        ),
    )


def _lookup(ctx: Ctx, row: dict) -> dict[str, Any] | None:
    """The last lookup that answered, with what it says about the register."""
    if row["lookup_at"] is None:
        return None
    status = row["lookup_status"]
    entity_ok = same_entity(row["lookup_entity"], row["operator__name_zh"])
    number_ok = same_number(row["lookup_number"], row["icp_number"])
    return {
        "on": beijing_date(row["lookup_at"]),
        "status": status,
        "entity": row["lookup_entity"],
        "number": row["lookup_number"],
        "entity_ok": entity_ok,
        "number_ok": number_ok,
        "matches": status == LookupStatus.FOUND and entity_ok and number_ok,
    }


def _record_check(
    ctx: Ctx,
    row: dict,
    subject_type: str,
    name: str,
    base: dict[str, Any],
    filed: datetime.date,
    changed: datetime.date | None,
    look: dict[str, Any] | None,
) -> EvaluatedItem:
    rule = R.MIIT_RECORD_CHECK
    p = ctx.params[rule]
    # A screenshot, or a lookup that matched the register: the later of the two.
    proofs = [d for d in (row["miit_on"], look["on"] if look and look["matches"] else None) if d]
    verified = max(proofs) if proofs else None
    due = next_due(
        filed=filed,
        changed=changed,
        verified=verified,
        every_days=p["every_days"],
        after_change_days=p["after_change_days"],
    )
    status = _status(ctx, due.date, p["warn_days"])
    values = {
        **base,
        "due": iso(due.date),
        "verified": iso(verified) if verified else "",
        "changed": iso(changed) if changed else "",
    }
    if due.reason == NEVER:
        msg = _(
            "Look %(s)s up at %(url)s (search for “%(query)s”), check that it shows "
            "%(number)s for this operator, and upload a screenshot of the result with the date "
            "verified by %(due)s."
        )
    elif due.reason == CHANGED:
        msg = _(
            "A change filing of %(s)s was approved on %(changed)s: look it up again at %(url)s "
            "(search for “%(query)s”) and upload a screenshot of the result by %(due)s."
        )
    elif status == S.COMPLIANT:
        msg = _("The MIIT record of %(s)s was verified on %(verified)s; next check by %(due)s.")
    else:
        msg = _(
            "The MIIT record of %(s)s was last verified on %(verified)s: look it up again at "
            "%(url)s (search for “%(query)s”) and upload a screenshot of the result by %(due)s."
        )
    return make_item(
        rule,
        subject_type,
        row,
        name=name,
        status=status,
        due=due.date,
        message=msg % values,
        changes_on=next_change(
            ctx.as_of, due.date - datetime.timedelta(days=p["warn_days"]), due.date + ONE
        ),
    )


def _mismatch(
    ctx: Ctx,
    row: dict,
    subject_type: str,
    name: str,
    base: dict[str, Any],
    look: dict[str, Any],
) -> EvaluatedItem:
    rule = R.MIIT_RECORD_MISMATCH
    on = look["on"]
    values = {
        **base,
        "on": iso(on),
        "entity": row["operator__name_zh"],
        "found_entity": look["entity"] or "—",
        "found_number": look["number"] or "—",
    }

    def item(status: str, due: datetime.date | None, msg: Note, changes=None) -> EvaluatedItem:
        return make_item(
            rule,
            subject_type,
            row,
            name=name,
            status=status,
            due=due,
            message=msg % values,
            changes_on=changes,
        )

    if look["status"] == LookupStatus.NOT_FOUND:
        return item(
            S.OVERDUE,
            on,
            _(
                "The MIIT lookup of “%(query)s” on %(on)s found no record of %(s)s: if the "
                "filing was cancelled (access cancelled, or cleaned up as a 空壳 entity), take "
                "the service offline and file it again; if the lookup is wrong, verify it by "
                "hand at %(url)s and upload a screenshot."
            ),
        )
    if look["status"] == LookupStatus.CANCELLED:
        return item(
            S.OVERDUE,
            on,
            _(
                "The MIIT lookup on %(on)s shows the record of %(s)s (%(found_number)s) as "
                "cancelled: the service may not be served until it is filed again; file it "
                "again, or correct the register if the number on record is an old one."
            ),
        )
    if look["matches"]:
        return item(
            S.COMPLIANT,
            None,
            _("The MIIT lookup on %(on)s matches the register for %(s)s (%(number)s)."),
        )
    days = ctx.params[rule]["working_days"]
    due = ctx.calendar.add_working_days(on, days).date
    status = S.OVERDUE if ctx.as_of > due else S.DUE_SOON
    values.update(due=iso(due), days=days)
    if not look["entity_ok"] and not look["number_ok"]:
        msg = _(
            "The MIIT record of %(s)s names %(found_entity)s with %(found_number)s, but the "
            "register has %(entity)s with %(number)s: correct the register, or if the record "
            "is wrong file a change (变更备案) by %(due)s (%(days)d working days)."
        )
    elif not look["entity_ok"]:
        msg = _(
            "The MIIT record of %(s)s names %(found_entity)s, but the register has "
            "%(entity)s: correct the register, or if the record is wrong file a change "
            "(变更备案) by %(due)s (%(days)d working days)."
        )
    else:
        msg = _(
            "The MIIT record of %(s)s carries %(found_number)s, but the register has "
            "%(number)s: correct the number in the register and wherever it is displayed, "
            "or if the record is wrong file a change (变更备案) by %(due)s."
        )
    return item(status, due, msg, changes=next_change(ctx.as_of, due + ONE))
