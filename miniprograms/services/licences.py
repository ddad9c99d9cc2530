"""Writes to the register's licences: pre-approvals (前置审批) and commercial ICP licences."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import ensure_can_edit_operator
from accounts.types import User
from icp.numbers import NumberError, NumberFamily, parse_number

from ..models import IcpLicence, Operator, PreApproval
from .register import clean_and_save

PREAPPROVAL_FIELDS = (
    "category",
    "authority",
    "licence_number",
    "expires_on",
    "miniprogram",
    "domain",
)
LICENCE_FIELDS = ("number", "scope", "issued_on", "expires_on")
# The first year an annual report can be recorded for (the reports began in 2005).
FIRST_REPORT_YEAR = 2005


def _clean_preapproval(pa: PreApproval) -> None:
    errors: dict[str, list[str]] = {}
    for field in ("miniprogram", "domain"):
        subject = getattr(pa, field)
        if subject is not None and subject.operator_id != pa.operator_id:
            errors[field] = [_("The service belongs to another operator.")]
    if pa.miniprogram_id and pa.domain_id:
        errors["__all__"] = [_("Choose a mini-program or a domain, not both.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def preapproval_create(*, user: User, operator: Operator, **fields: Any) -> PreApproval:
    """Record a pre-approval for an operator the user may edit."""
    ensure_can_edit_operator(user, operator)
    pa = PreApproval(organization_id=operator.organization_id, operator=operator, **fields)
    _clean_preapproval(pa)
    clean_and_save(pa, unique_message=_("This pre-approval is already recorded."))
    return pa


@transaction.atomic
def preapproval_update(*, user: User, preapproval: PreApproval, **fields: Any) -> PreApproval:
    """Change or renew a pre-approval (a new expiry date closes its expiry reminder)."""
    ensure_can_edit_operator(user, preapproval.operator)
    for name in PREAPPROVAL_FIELDS:
        if name in fields:
            setattr(preapproval, name, fields[name])
    _clean_preapproval(preapproval)
    clean_and_save(preapproval, unique_message=_("This pre-approval is already recorded."))
    return preapproval


def _licence_number(number: str) -> str:
    """The licence's entity number (粤B2-20090059), or a ValidationError on `number`."""
    try:
        parsed = parse_number(number)
    except NumberError as e:
        raise ValidationError({"number": [e.message]}) from None
    if parsed.family not in (NumberFamily.ICP_LICENCE, NumberFamily.B_LICENCE):
        raise ValidationError(
            {"number": [_("This is a filing number, not a licence number such as 粤B2-20090059.")]}
        )
    return parsed.entity_number


def _clean_licence(licence: IcpLicence) -> None:
    if licence.issued_on and licence.expires_on and licence.expires_on <= licence.issued_on:
        raise ValidationError({"expires_on": [_("The licence must expire after it was issued.")]})


@transaction.atomic
def licence_create(*, user: User, operator: Operator, number: str, **fields: Any) -> IcpLicence:
    """Record a commercial ICP licence (增值电信业务经营许可证); the number must parse as one."""
    ensure_can_edit_operator(user, operator)
    licence = IcpLicence(
        organization_id=operator.organization_id,
        operator=operator,
        number=_licence_number(number),
        **fields,
    )
    _clean_licence(licence)
    clean_and_save(licence, unique_message=_("This licence is already recorded."))
    return licence


@transaction.atomic
def licence_update(*, user: User, licence: IcpLicence, **fields: Any) -> IcpLicence:
    """Change a licence; renewing it is recording its new validity dates (which closes the
    renewal reminder).
    """
    ensure_can_edit_operator(user, licence.operator)
    for name in LICENCE_FIELDS:
        if name in fields:
            setattr(licence, name, fields[name])
    licence.number = _licence_number(licence.number)
    _clean_licence(licence)
    clean_and_save(licence, unique_message=_("This licence is already recorded."))
    return licence


def check_report_year(licence: IcpLicence, year: int, *, today: datetime.date) -> None:
    """An annual report covers a past year in which the licence was valid."""
    if not FIRST_REPORT_YEAR <= year < today.year:
        raise ValidationError(
            {
                "year": [
                    _("Enter a past year, from %(first)d to %(last)d.")
                    % {"first": FIRST_REPORT_YEAR, "last": today.year - 1}
                ]
            }
        )
    if (licence.issued_on and licence.issued_on.year > year) or (
        licence.expires_on and licence.expires_on.year < year
    ):
        raise ValidationError(
            {"year": [_("The licence was not valid in %(year)d.") % {"year": year}]}
        )


@transaction.atomic
def licence_annual_report_filed(*, user: User, licence: IcpLicence, year: int) -> IcpLicence:
    """Note that the report for `year` is filed: what the `licence_annual_report` rule reads.

    The latest year filed counts; recording an older year keeps it.
    """
    ensure_can_edit_operator(user, licence.operator)
    latest = max(year, licence.last_annual_report_year or year)
    if latest != licence.last_annual_report_year:
        licence.last_annual_report_year = latest
        licence.save(update_fields=["last_annual_report_year", "updated_at"])
    return licence
