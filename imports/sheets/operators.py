"""Operators: matched by USCC, individuals (no USCC) by their name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from miniprograms import services as register_services
from miniprograms.models import EntityType, Operator
from miniprograms.validators import normalize_uscc

from ..cells import normalize_number
from ..reader import Table

if TYPE_CHECKING:
    from ..importer import Importer

FIELDS = ("name_zh", "name_en", "entity_type", "uscc", "address", "entity_number")


def prepare(imp: Importer) -> None:
    """Operators are loaded when the importer starts: the other sheets refer to them."""


def apply(imp: Importer, table: Table, row: int, v: dict, seen: dict) -> None:
    uscc = normalize_uscc(str(v.get("uscc", "")))
    if imp.duplicate(table, row, uscc or ("individual", v["name_zh"]), seen):
        return
    existing = imp.op_by_uscc.get(uscc) if uscc else _individual(imp, v["name_zh"])
    fields = {k: v[k] for k in FIELDS if k in v}
    if existing is None:
        _create(imp, table, row, v, fields)
    else:
        _update(imp, table, row, v, existing, fields)


def _individual(imp: Importer, name: str) -> Operator | None:
    op = imp.op_by_name.get(name)
    return op if op is not None and op.entity_type == EntityType.INDIVIDUAL else None


def _create(imp: Importer, table: Table, row: int, v: dict, fields: dict) -> None:
    permitted = imp.allowed(table, row)
    province = imp.provinces.get(v["province"])
    op = imp.validate(
        table,
        row,
        lambda: register_services.operator_build(
            organization_id=imp.org.pk, province=province, **fields
        ),
        shape=lambda: Operator(organization_id=imp.org.pk, province=province, **fields),
    )
    if op is None or not permitted:
        imp.mark_bad_operator(v, row)
        return
    imp.remember(op)

    def failed() -> None:
        imp.forget(op)
        imp.mark_bad_operator(v, row)

    imp.batch.create(row, op, failed)


def _changes(existing: Operator, fields: dict, province: str) -> dict:
    changes = {}
    for k, value in fields.items():
        if k == "uscc":
            value = normalize_uscc(value)
        elif k == "entity_number":
            value = normalize_number(value, entity=True)
        if value != getattr(existing, k):
            changes[k] = value
    if province != existing.province_id:
        changes["province_id"] = province
    return changes


def _update(
    imp: Importer, table: Table, row: int, v: dict, existing: Operator, fields: dict
) -> None:
    changes = _changes(existing, fields, v["province"])
    if not changes:
        imp.result.count(table.key, "unchanged")
        return
    permitted = imp.allowed(table, row, existing)
    if "province_id" in changes:
        existing.province_id = changes.pop("province_id")
    op = imp.validate(
        table,
        row,
        lambda: register_services.operator_apply(existing, changes),
        shape=lambda: existing,
    )
    if op is not None and op.province_id not in imp.provinces:
        # Not a province row: the service's full_clean (with its queries) says so.
        op = imp.call(table, row, _full_clean, instance=op)
    if op is None or not permitted:
        imp.mark_bad_operator(v, row)
        return
    imp.batch.update(row, op, lambda: imp.mark_bad_operator(v, row))


def _full_clean(*, instance: Operator) -> Operator:
    instance.full_clean()
    return instance
