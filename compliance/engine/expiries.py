"""Dated papers: pre-approval licences (domain.md §5.5) and uploaded filing documents.

A pre-approval that lapses makes the filing's content unlicensed; an expired document (an ID
copy, a licence scan) gets an application rejected (domain.md §3.3). One query each.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q

from documents.models import Document
from miniprograms.models import PreApproval

from ..registry import rule
from ..types import EvaluatedItem
from .base import OPERATOR_FIELDS, Ctx, R, S, _, iso, make_item, next_change


@rule(R.PREAPPROVAL_EXPIRY, R.DOCUMENT_EXPIRY)
def expiry_items(ctx: Ctx, scope: Q) -> Iterator[EvaluatedItem]:
    if R.PREAPPROVAL_EXPIRY in ctx.params:
        rows = (
            PreApproval.objects.filter(scope, expires_on__isnull=False)
            .order_by()
            .values("id", "category", "licence_number", "expires_on", *OPERATOR_FIELDS)
        )
        for row in rows:
            name = f"{row['category']} {row['licence_number']}".strip()
            yield _expiry(ctx, R.PREAPPROVAL_EXPIRY, "preapproval", row, name)
    if R.DOCUMENT_EXPIRY in ctx.params:
        rows = (
            Document.objects.filter(scope, expires_on__isnull=False)
            .order_by()
            .values("id", "name", "expires_on", *OPERATOR_FIELDS)
        )
        for row in rows:
            yield _expiry(ctx, R.DOCUMENT_EXPIRY, "document", row, row["name"])


def _expiry(ctx: Ctx, rule: str, subject_type: str, row: dict, name: str) -> EvaluatedItem:
    expires: datetime.date = row["expires_on"]
    warn = ctx.params[rule]["warn_days"]
    values = {"name": name, "expires": iso(expires)}
    if expires < ctx.as_of:
        status = S.OVERDUE
        msg = _("%(name)s expired on %(expires)s: renew it and upload the new one.")
    elif (expires - ctx.as_of).days <= warn:
        status = S.DUE_SOON
        msg = _("%(name)s expires on %(expires)s: start the renewal now.")
    else:
        status = S.COMPLIANT
        msg = _("%(name)s is valid until %(expires)s.")
    changes = next_change(
        ctx.as_of, expires - datetime.timedelta(days=warn), expires + datetime.timedelta(days=1)
    )
    return make_item(
        rule,
        subject_type,
        row,
        name=name,
        status=status,
        due=expires,
        message=msg % values,
        changes_on=changes,
    )
