"""Domains: matched by their (normalised) name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from miniprograms import selectors as register
from miniprograms import services as register_services
from miniprograms.models import Domain, Operator
from miniprograms.ownership import filter_by_organization
from miniprograms.validators import normalize_domain

from ..cells import normalize_number
from ..reader import Table

if TYPE_CHECKING:
    from ..importer import Importer


def prepare(imp: Importer) -> None:
    imp.loaded.add("domains")
    domains = filter_by_organization(register.domain_list_for_user(user=imp.user), imp.org.pk)
    imp.domains = {d.name: d for d in domains}


def apply(imp: Importer, table: Table, row: int, v: dict, seen: dict) -> None:
    op: Operator = v.pop("operator")
    try:
        name = normalize_domain(v["name"])
    except ValidationError:
        name = v["name"]
    if imp.duplicate(table, row, name, seen):
        return
    existing = imp.domains.get(name)
    exclude = register_services.DOMAIN_CLEAN_EXCLUDE
    if existing is None:
        permitted = imp.allowed(table, row, op)
        build = register_services.domain_build
        d = imp.validate(
            table,
            row,
            lambda: build(operator=op, **v),
            exclude=exclude,
            shape=lambda: Domain(organization_id=op.organization_id, operator=op, **v),
        )
        if d is None or not permitted:
            imp.bad_services.update({name, str(v["name"])})
            return
        imp.domains[d.name] = d

        def failed() -> None:
            del imp.domains[d.name]
            imp.bad_services.update({name, str(v["name"])})

        imp.batch.create(row, d, failed)
        return
    if existing.operator_id != op.pk:
        imp.error(table, row, "name", _("This domain is registered to another operator."))
        return
    v["name"] = name
    if "icp_number" in v:
        v["icp_number"] = normalize_number(v["icp_number"])
    imp.update(
        table, row, existing, v, register_services.domain_apply, operator=op, exclude=exclude
    )
