"""Writes to the register. Each service validates, checks the role, and saves atomically."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import ensure_can_edit_in_organization, ensure_can_edit_operator
from accounts.types import User
from icp.numbers import NumberError, NumberFamily, parse_number

from ..models import (
    Domain,
    EntityType,
    MiniProgram,
    Operator,
    Province,
)
from ..validators import (
    normalize_domain,
    normalize_uscc,
    validate_appid,
    validate_uscc,
)

OPERATOR_FIELDS = (
    "name_zh",
    "name_en",
    "entity_type",
    "uscc",
    "province",
    "address",
    "entity_number",
)
MINIPROGRAM_FIELDS = (
    "name",
    "kind",
    "platform",
    "appid",
    "launch_date",
    "lifecycle",
    "content_category",
    "icp_number",
)
DOMAIN_FIELDS = (
    "name",
    "site_name",
    "registrar",
    "real_name_status",
    "registrant_name",
    "expires_on",
    "live_since",
    "icp_number",
    "psb_number",
    "psb_filed_on",
)


# What a save refused by a unique constraint reports, per model (the services and the importer).
UNIQUE_MESSAGES: dict[type[Model], Any] = {
    Operator: gettext_lazy("An operator with this USCC is already in the register."),
    MiniProgram: gettext_lazy("A mini-program with this AppID is already in the register."),
    Domain: gettext_lazy("This domain is already in the register."),
}


def clean_and_save(instance, *, unique_message: str, exclude: tuple[str, ...] = ()) -> None:
    """full_clean then save; a unique clash that slipped past validation becomes a 400."""
    instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(unique_message) from None


def clean_without_queries(instance, *, exclude: tuple[str, ...] = ()) -> None:
    """full_clean minus the checks that query: foreign keys exist, unique, constraints.

    For callers that check those against rows they already loaded (the bulk importer);
    `clean_and_save` still runs the whole full_clean before any single save.
    """
    relations = tuple(f.name for f in instance._meta.concrete_fields if f.is_relation)
    instance.full_clean(
        exclude=(*exclude, *relations), validate_unique=False, validate_constraints=False
    )


def _clean_operator(op: Operator) -> None:
    errors: dict[str, list[str]] = {}
    op.uscc = normalize_uscc(op.uscc)
    if op.entity_type == EntityType.INDIVIDUAL:
        if op.uscc:
            errors["uscc"] = [
                _("Individuals file with their ID, not a Unified Social Credit Code.")
            ]
    elif not op.uscc:
        errors["uscc"] = [_("A Unified Social Credit Code is required for this entity type.")]
    else:
        try:
            validate_uscc(op.uscc)
        except ValidationError as e:
            errors["uscc"] = e.messages
    if op.entity_number:
        try:
            parsed = parse_number(op.entity_number)
            op.entity_number = parsed.entity_number
            if parsed.province_code and op.province_id and parsed.province_code != op.province_id:
                errors["entity_number"] = [
                    _("This number was issued in another province than the operator's.")
                ]
        except NumberError as e:
            errors["entity_number"] = [e.message]
    if errors:
        raise ValidationError(errors)


def operator_build(*, organization_id: int, province: Province | None, **fields: Any) -> Operator:
    """A new operator, normalised and checked without a query (no save, no role check).

    `province` is the Province row, or None when the code named none (refused here).
    """
    if province is None:
        raise ValidationError({"province": [_("Choose one of the 31 provincial codes.")]})
    op = Operator(organization_id=organization_id, province=province, **fields)
    _clean_operator(op)
    return op


def operator_apply(operator: Operator, fields: dict[str, Any]) -> Operator:
    """Set the register fields on an operator, then normalise and check it (no query)."""
    for name, value in fields.items():
        if name in OPERATOR_FIELDS:
            setattr(operator, name, value)
    _clean_operator(operator)
    return operator


@transaction.atomic
def operator_create(
    *, user: User, organization_id: int, province: Province | str, **fields: Any
) -> Operator:
    """Add an operator to an organization the user may edit in."""
    ensure_can_edit_in_organization(user, organization_id)
    found = Province.objects.filter(pk=province).first() if isinstance(province, str) else province
    op = operator_build(organization_id=organization_id, province=found, **fields)
    clean_and_save(op, unique_message=str(UNIQUE_MESSAGES[Operator]))
    return op


def _refuse_organization_change(operator: Operator, fields: dict[str, Any]) -> None:
    """An operator never changes organization (miniprograms.ownership): refuse, do not ignore."""
    stored = Operator.objects.filter(pk=operator.pk).values_list("organization_id", flat=True)
    current = stored.first()
    asked = {operator.organization_id}
    if "organization" in fields:
        org = fields["organization"]
        asked.add(getattr(org, "pk", org))
    if "organization_id" in fields:
        asked.add(fields["organization_id"])
    if asked != {current}:
        raise ValidationError(
            {
                "organization": [
                    _(
                        "An operator cannot move to another organization: its services, "
                        "filings, documents and reminders stay with the organization it was "
                        "created in. Create the operator in the other organization instead."
                    )
                ]
            }
        )


@transaction.atomic
def operator_update(*, user: User, operator: Operator, **fields: Any) -> Operator:
    """Change an operator's register fields; its organization never changes."""
    ensure_can_edit_operator(user, operator)
    _refuse_organization_change(operator, fields)
    operator_apply(operator, fields)
    clean_and_save(operator, unique_message=str(UNIQUE_MESSAGES[Operator]))
    return operator


def _clean_miniprogram(mp: MiniProgram) -> None:
    errors: dict[str, list[str]] = {}
    try:
        mp.appid = validate_appid(mp.platform, mp.appid)
    except ValidationError as e:
        errors["appid"] = e.messages
    if mp.icp_number:
        try:
            mp.icp_number = parse_number(mp.icp_number).normalized
        except NumberError as e:
            errors["icp_number"] = [e.message]
    if errors:
        raise ValidationError(errors)


def miniprogram_build(*, operator: Operator, **fields: Any) -> MiniProgram:
    """A new mini-program of `operator`, normalised and checked without a query (no save)."""
    mp = MiniProgram(organization_id=operator.organization_id, operator=operator, **fields)
    _clean_miniprogram(mp)
    return mp


def miniprogram_apply(miniprogram: MiniProgram, fields: dict[str, Any]) -> MiniProgram:
    """Set the register fields on a mini-program, then normalise and check it (no query)."""
    for name, value in fields.items():
        if name in MINIPROGRAM_FIELDS:
            setattr(miniprogram, name, value)
    _clean_miniprogram(miniprogram)
    return miniprogram


@transaction.atomic
def miniprogram_create(*, user: User, operator: Operator, **fields: Any) -> MiniProgram:
    """Add a mini-program or app to an operator the user may edit."""
    ensure_can_edit_operator(user, operator)
    mp = miniprogram_build(operator=operator, **fields)
    clean_and_save(mp, unique_message=str(UNIQUE_MESSAGES[MiniProgram]))
    return mp


@transaction.atomic
def miniprogram_update(*, user: User, miniprogram: MiniProgram, **fields: Any) -> MiniProgram:
    """Change a mini-program's register fields, if the user may edit it."""
    ensure_can_edit_operator(user, miniprogram.operator)
    miniprogram_apply(miniprogram, fields)
    clean_and_save(miniprogram, unique_message=str(UNIQUE_MESSAGES[MiniProgram]))
    return miniprogram


def _clean_domain(d: Domain) -> None:
    errors: dict[str, list[str]] = {}
    try:
        d.name = normalize_domain(d.name)
        d.tld_id = d.name.rsplit(".", 1)[-1]
    except ValidationError as e:
        errors["name"] = e.messages
    if d.icp_number:
        try:
            d.icp_number = parse_number(d.icp_number).normalized
        except NumberError as e:
            errors["icp_number"] = [e.message]
    if d.psb_number:
        try:
            parsed = parse_number(d.psb_number)
        except NumberError as e:
            errors["psb_number"] = [e.message]
        else:
            if parsed.family != NumberFamily.PSB:
                errors["psb_number"] = [
                    _("Enter the public-security number, e.g. 京公网安备11010802020088号.")
                ]
            d.psb_number = parsed.normalized
    if errors:
        raise ValidationError(errors)


# An unknown TLD is flagged (tld_status "unknown"), not refused: see Domain.tld.
DOMAIN_CLEAN_EXCLUDE = ("tld",)


def domain_build(*, operator: Operator, **fields: Any) -> Domain:
    """A new domain of `operator`, normalised and checked without a query (no save)."""
    d = Domain(organization_id=operator.organization_id, operator=operator, **fields)
    _clean_domain(d)
    return d


def domain_apply(domain: Domain, fields: dict[str, Any]) -> Domain:
    """Set the register fields on a domain, then normalise and check it (no query)."""
    for name, value in fields.items():
        if name in DOMAIN_FIELDS:
            setattr(domain, name, value)
    _clean_domain(domain)
    return domain


@transaction.atomic
def domain_create(*, user: User, operator: Operator, **fields: Any) -> Domain:
    """Add a domain to an operator the user may edit (an unknown TLD is flagged)."""
    ensure_can_edit_operator(user, operator)
    d = domain_build(operator=operator, **fields)
    clean_and_save(d, unique_message=str(UNIQUE_MESSAGES[Domain]), exclude=DOMAIN_CLEAN_EXCLUDE)
    return d


@transaction.atomic
def domain_update(*, user: User, domain: Domain, **fields: Any) -> Domain:
    """Change a domain's register fields, if the user may edit it."""
    ensure_can_edit_operator(user, domain.operator)
    domain_apply(domain, fields)
    clean_and_save(
        domain,
        unique_message=str(UNIQUE_MESSAGES[Domain]),
        exclude=DOMAIN_CLEAN_EXCLUDE,
    )
    return domain
