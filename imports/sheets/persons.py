"""Responsible persons: matched by operator, keyed hash of the ID number, role and service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric

from core import pii
from miniprograms import selectors as register
from miniprograms import services as register_services
from miniprograms.models import Domain, IdType, MiniProgram, Operator, ResponsiblePerson
from miniprograms.ownership import filter_by_organization
from miniprograms.validators import normalize_domain

from ..reader import Table
from . import domains, miniprograms

if TYPE_CHECKING:
    from ..importer import Importer

# The service a person is responsible for: found, not found (row reported or skipped).
_NOT_FOUND = object()


def prepare(imp: Importer) -> None:
    people = filter_by_organization(register.person_list_for_user(user=imp.user), imp.org.pk)
    imp.people = set(
        people.values_list("operator_id", "id_number_hash", "role", "miniprogram_id", "domain_id")
    )
    if "miniprograms" not in imp.loaded:
        miniprograms.prepare(imp)
    if "domains" not in imp.loaded:
        domains.prepare(imp)


def _service(imp: Importer, table: Table, row: int, op: Operator, service: str):
    """(miniprogram, domain) named by the service cell, or _NOT_FOUND."""
    mp = imp.mp_by_operator.get((op.pk, service)) or imp.mp_by_operator.get(
        (op.pk, service.lower())
    )
    if mp is not None:
        return mp, None
    try:
        domain = imp.domains.get(normalize_domain(service))
    except ValidationError:
        domain = None
    if service in imp.bad_services:
        return _NOT_FOUND  # the service's own row is reported
    if domain is None or domain.operator_id != op.pk:
        imp.error(table, row, "service", _("No mini-program or domain of this operator matches."))
        return _NOT_FOUND
    return None, domain


def _id_keys(v: dict) -> tuple[str, ...]:
    """The number's blind index under every configured key, the first key's first: rows stored
    before a key rotation finished carry an older key's index."""
    id_type = v.get("id_type") or IdType.RESIDENT_ID
    number = str(v["id_number"]).strip().upper()
    if id_type == IdType.RESIDENT_ID:
        number = ric.compact(number).upper()
    return pii.blind_indexes(number)


def apply(imp: Importer, table: Table, row: int, v: dict, seen: dict) -> None:
    op: Operator = v.pop("operator")
    miniprogram: MiniProgram | None = None
    domain: Domain | None = None
    if service := v.pop("service", ""):
        found = _service(imp, table, row, op, service)
        if found is _NOT_FOUND:
            return
        miniprogram, domain = found
    service_pks = (miniprogram.pk if miniprogram else None, domain.pk if domain else None)
    keys = [(op.pk, index, v["role"], *service_pks) for index in _id_keys(v)]
    key = keys[0]
    if imp.duplicate(table, row, key, seen):
        return
    if any(k in imp.people for k in keys):
        imp.result.count(table.key, "unchanged")
        return
    permitted = imp.allowed(table, row, op)
    build = register_services.person_build

    def shape() -> ResponsiblePerson:
        fields = {k: val for k, val in v.items() if k != "id_number"}
        return ResponsiblePerson(
            organization_id=op.organization_id,
            operator=op,
            miniprogram=miniprogram,
            domain=domain,
            id_number_encrypted="-",  # checked by the build; never kept
            id_number_hash="-",
            **fields,
        )

    person = imp.validate(
        table,
        row,
        lambda: build(operator=op, miniprogram=miniprogram, domain=domain, **v),
        shape=shape,
    )
    if person is not None and permitted:
        imp.people.add(key)
        imp.batch.create(row, person, lambda: imp.people.discard(key))
