"""The register: domains (domain.md §6, §7), people (§3.3) and licences (§8)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q

from filings.models import FilingApplication
from icp.identifiers import domain_display
from icp.workflow import IN_FLIGHT
from miniprograms.models import Domain, IcpLicence, RealNameStatus, ResponsiblePerson

from ..registry import rule
from ..types import EvaluatedItem
from .base import (
    OPERATOR_FIELDS,
    Ctx,
    R,
    S,
    _,
    approved_at_subquery,
    filed_on,
    iso,
    make_item,
    next_change,
)


@rule(R.DOMAIN_EXPIRY, R.DOMAIN_REAL_NAME, R.PSB_FILING)
def domain_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    if not ctx.wants(R.DOMAIN_EXPIRY, R.DOMAIN_REAL_NAME, R.PSB_FILING):
        return
    rows = (
        Domain.objects.filter(scope)
        .order_by()
        .values(
            "id",
            "name",
            "expires_on",
            "real_name_status",
            "live_since",
            "icp_number",
            "psb_number",
            "psb_filed_on",
            *OPERATOR_FIELDS,
        )
        .annotate(
            approved_at=approved_at_subquery("domain"),
            in_filing=Exists(
                FilingApplication.objects.filter(domain=OuterRef("pk"), status__in=IN_FLIGHT)
            ),
        )
    )
    for row in rows:
        name = domain_display(row["name"])
        if R.DOMAIN_EXPIRY in ctx.params:
            yield _domain_expiry(ctx, row, name)
        if R.DOMAIN_REAL_NAME in ctx.params:
            filed = filed_on(row, ctx.as_of) is not None
            if filed or row["in_filing"]:
                yield _domain_real_name(row, name)
        if R.PSB_FILING in ctx.params and row["live_since"] is not None:
            yield _psb_filing(ctx, row, name)


def _domain_expiry(ctx: Ctx, row: dict, name: str) -> EvaluatedItem:
    rule = R.DOMAIN_EXPIRY
    warn = ctx.params[rule]["warn_days"]
    expires = row["expires_on"]
    values = {"name": name, "expires": iso(expires) if expires else "", "warn": warn}
    if expires is None:
        status = S.NOT_APPLICABLE
        msg = _("Record the expiry date of %(name)s so that its renewal can be tracked.")
    elif expires < ctx.as_of:
        status = S.OVERDUE
        msg = _("%(name)s expired on %(expires)s: renew it now, or its filing may be cancelled.")
    elif (expires - ctx.as_of).days <= warn:
        status = S.DUE_SOON
        msg = _(
            "%(name)s expires on %(expires)s, less than %(warn)d days away: renew it so the "
            "authority sees at least 3 months of validity."
        )
    else:
        status = S.COMPLIANT
        msg = _("%(name)s is registered until %(expires)s.")
    changes = None
    if expires is not None:
        changes = next_change(
            ctx.as_of, expires - datetime.timedelta(days=warn), expires + datetime.timedelta(1)
        )
    return make_item(
        rule,
        "domain",
        row,
        name=name,
        status=status,
        due=expires,
        message=msg % values,
        changes_on=changes,
    )


def _domain_real_name(row: dict, name: str) -> EvaluatedItem:
    state = row["real_name_status"]
    values = {"name": name}
    if state == RealNameStatus.VERIFIED:
        status, msg = S.COMPLIANT, _("%(name)s is real-name verified.")
    elif state == RealNameStatus.PENDING:
        status = S.DUE_SOON
        msg = _(
            "Real-name verification of %(name)s is pending; the data takes 3–5 working days "
            "to reach the authority, so follow it up with the registrar."
        )
    else:
        status = S.OVERDUE
        msg = _(
            "%(name)s is in a filing but not real-name verified: complete real-name "
            "verification in the operator's name at the registrar."
        )
    return make_item(
        R.DOMAIN_REAL_NAME, "domain", row, name=name, status=status, due=None, message=msg % values
    )


def _psb_filing(ctx: Ctx, row: dict, name: str) -> EvaluatedItem:
    rule = R.PSB_FILING
    days = ctx.params[rule]["days"]
    live = row["live_since"]
    due = live + datetime.timedelta(days=days)
    values = {"name": name, "live": iso(live), "due": iso(due), "days": days}
    has_number = bool(row["psb_number"]) and (
        row["psb_filed_on"] is None or row["psb_filed_on"] <= ctx.as_of
    )
    if live > ctx.as_of:
        status, due_date = S.NOT_APPLICABLE, None
        msg = _("%(name)s was not live yet; public-security filing is due %(days)d days after.")
    elif has_number:
        status, due_date = S.COMPLIANT, None
        msg = _("%(name)s has its public-security filing number.")
    elif ctx.as_of > due:
        status, due_date = S.OVERDUE, due
        msg = _(
            "%(name)s has been live since %(live)s without a public-security filing (due "
            "%(due)s): file it at beian.mps.gov.cn now."
        )
    else:
        status, due_date = S.DUE_SOON, due
        msg = _(
            "File %(name)s with public security at beian.mps.gov.cn by %(due)s, %(days)d days "
            "after it went live."
        )
    changes = next_change(ctx.as_of, live, due + datetime.timedelta(days=1), row["psb_filed_on"])
    return make_item(
        rule,
        "domain",
        row,
        name=name,
        status=status,
        due=due_date,
        message=msg % values,
        changes_on=changes,
    )


# --- people --------------------------------------------------------------------------------


@rule(R.PERSON_ID_EXPIRY)
def person_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    if not ctx.wants(R.PERSON_ID_EXPIRY):
        return
    warn = ctx.params[R.PERSON_ID_EXPIRY]["warn_days"]
    rows = (
        ResponsiblePerson.objects.filter(scope, id_expires_on__isnull=False)
        .order_by()
        .values("id", "name", "id_expires_on", *OPERATOR_FIELDS)
    )
    for row in rows:
        expires = row["id_expires_on"]
        values = {"name": row["name"], "expires": iso(expires)}
        if expires < ctx.as_of:
            status = S.OVERDUE
            msg = _(
                "The ID document of %(name)s expired on %(expires)s: submit a change filing "
                "with the renewed ID."
            )
        elif (expires - ctx.as_of).days <= warn:
            status = S.DUE_SOON
            msg = _(
                "The ID document of %(name)s expires on %(expires)s: renew it and prepare a "
                "change filing with the new ID."
            )
        else:
            status = S.COMPLIANT
            msg = _("The ID document of %(name)s is valid until %(expires)s.")
        yield make_item(
            R.PERSON_ID_EXPIRY,
            "person",
            row,
            name=row["name"],
            status=status,
            due=expires,
            message=msg % values,
            changes_on=next_change(
                ctx.as_of, expires - datetime.timedelta(days=warn), expires + datetime.timedelta(1)
            ),
        )


# --- licences ------------------------------------------------------------------------------


@rule(R.LICENCE_RENEWAL, R.LICENCE_ANNUAL_REPORT)
def licence_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    if not ctx.wants(R.LICENCE_RENEWAL, R.LICENCE_ANNUAL_REPORT):
        return
    rows = (
        IcpLicence.objects.filter(scope)
        .order_by()
        .values(
            "id", "number", "issued_on", "expires_on", "last_annual_report_year", *OPERATOR_FIELDS
        )
    )
    for row in rows:
        if R.LICENCE_RENEWAL in ctx.params:
            yield _licence_renewal(ctx, row)
        if R.LICENCE_ANNUAL_REPORT in ctx.params:
            yield _licence_annual_report(ctx, row)


def _licence_renewal(ctx: Ctx, row: dict) -> EvaluatedItem:
    rule = R.LICENCE_RENEWAL
    p = ctx.params[rule]
    expires = row["expires_on"]
    values = {"number": row["number"], "days": p["days_before"]}
    due = None
    changes = None
    if expires is None:
        status = S.NOT_APPLICABLE
        msg = _("Record the expiry date of licence %(number)s so that its renewal can be tracked.")
    elif row["issued_on"] is not None and row["issued_on"] > ctx.as_of:
        status = S.NOT_APPLICABLE
        msg = _("Licence %(number)s had not been issued yet.")
        changes = row["issued_on"]
    else:
        due = expires - datetime.timedelta(days=p["days_before"])
        values.update(expires=iso(expires), due=iso(due))
        one = datetime.timedelta(days=1)
        changes = next_change(
            ctx.as_of, due - datetime.timedelta(days=p["warn_days"]), due + one, expires + one
        )
        left = (due - ctx.as_of).days
        if expires < ctx.as_of:
            status = S.OVERDUE
            msg = _(
                "Licence %(number)s expired on %(expires)s: stop the commercial service or "
                "apply for a new licence."
            )
        elif left < 0:
            status = S.OVERDUE
            msg = _(
                "The renewal of licence %(number)s had to be applied for by %(due)s, "
                "%(days)d days before it expires on %(expires)s: apply now."
            )
        else:
            status = S.DUE_SOON if left <= p["warn_days"] else S.COMPLIANT
            msg = _(
                "Apply to renew licence %(number)s by %(due)s, %(days)d days before it "
                "expires on %(expires)s."
            )
    return make_item(
        rule,
        "licence",
        row,
        name=row["number"],
        status=status,
        due=due,
        message=msg % values,
        changes_on=changes,
    )


def _month_day(year: int, text: str) -> datetime.date:
    month, day = (int(x) for x in text.split("-"))
    return datetime.date(year, month, day)


def _licence_annual_report(ctx: Ctx, row: dict) -> EvaluatedItem:
    rule = R.LICENCE_ANNUAL_REPORT
    p = ctx.params[rule]
    year = ctx.as_of.year
    report_year = year - 1
    opens = _month_day(year, p["window_start"])
    closes = _month_day(year, p["window_end"])
    values = {
        "number": row["number"],
        "year": report_year,
        "opens": iso(opens),
        "closes": iso(closes),
    }
    issued, expires, last = row["issued_on"], row["expires_on"], row["last_annual_report_year"]
    due = None
    if (issued is not None and issued.year > report_year) or (
        expires is not None and expires.year < report_year
    ):
        status = S.NOT_APPLICABLE
        msg = _("Licence %(number)s was not valid in %(year)d; no annual report is due for it.")
    elif last is not None and last >= report_year:
        status = S.COMPLIANT
        due = _month_day(year + 1, p["window_end"])
        values["next"] = year
        values["next_closes"] = iso(due)
        msg = _(
            "The %(year)d annual report of licence %(number)s is filed; the %(next)d report "
            "is due by %(next_closes)s."
        )
    elif ctx.as_of < opens:
        status, due = S.COMPLIANT, closes
        msg = _(
            "File the %(year)d annual report of licence %(number)s from %(opens)s to %(closes)s."
        )
    elif ctx.as_of <= closes:
        status, due = S.DUE_SOON, closes
        msg = _(
            "File the %(year)d annual report of licence %(number)s in the telecom business "
            "system by %(closes)s."
        )
    else:
        status, due = S.OVERDUE, closes
        msg = _(
            "The %(year)d annual report of licence %(number)s was due by %(closes)s: file it "
            "in the April correction period and expect a credit-listing risk."
        )
    changes = next_change(
        ctx.as_of, opens, closes + datetime.timedelta(days=1), datetime.date(year + 1, 1, 1)
    )
    return make_item(
        rule,
        "licence",
        row,
        name=row["number"],
        status=status,
        due=due,
        message=msg % values,
        changes_on=changes,
    )
