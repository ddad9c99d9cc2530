"""Applying tables through the register's services, row by row."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric

from core import pii
from core.exceptions import ApplicationError
from icp.numbers import NumberError, parse_number
from miniprograms import selectors as register
from miniprograms import services as register_services
from miniprograms.models import (
    EntityType,
    IdType,
    Operator,
)
from miniprograms.validators import normalize_domain, normalize_uscc, validate_appid

from .columns import _PROVINCE_ALIASES, SHEETS, _fold
from .reader import RowError, Table

# -- applying ------------------------------------------------------------------------------


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    summary: dict[str, dict[str, int]] = field(default_factory=dict)
    row_count: int = 0

    def count(self, sheet: str, what: str) -> None:
        counts = self.summary.setdefault(sheet, {"create": 0, "update": 0, "unchanged": 0})
        counts[what] += 1


def _parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if text in ("", "长期", "long-term", "long term"):
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not m:
        raise ValueError(text)
    return datetime.date(int(m[1]), int(m[2]), int(m[3]))


def _number(text: str, *, entity: bool = False) -> str:
    try:
        parsed = parse_number(text)
    except NumberError:
        return text
    return parsed.entity_number if entity else parsed.normalized


class Importer:
    """Applies tables through the register services; collects every bad row."""

    def __init__(self, *, user, organization, progress: Callable[[int], None] | None = None):
        self.user = user
        self.org = organization
        self.progress = progress
        self.result = ImportResult()
        visible = register.operator_list_for_user(user=user).filter(organization=organization)
        self.op_by_uscc: dict[str, Operator] = {}
        self.op_by_name: dict[str, Operator] = {}
        for op in visible:
            self._remember(op)
        self.bad_operator_rows: dict[str, int] = {}
        # AppIDs and domain names whose own row failed: persons pointing at them are skipped
        # silently, as the failing row is already reported.
        self.bad_services: set[str] = set()

    def _remember(self, op: Operator) -> None:
        if op.uscc:
            self.op_by_uscc[op.uscc] = op
        self.op_by_name.setdefault(op.name_zh, op)

    # bookkeeping
    def error(self, table: Table, row: int, field_key: str, reason: str) -> None:
        # Validator messages may quote part of an ID number: never store one in clear.
        self.result.errors.append(RowError(table.name, row, field_key, pii.mask_text(str(reason))))

    def call(self, table: Table, row: int, fn, **kwargs):
        try:
            return fn(**kwargs)
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for key, messages in e.message_dict.items():
                    for m in messages:
                        self.error(table, row, "" if key == "__all__" else key, m)
            else:
                for m in e.messages:
                    self.error(table, row, "", m)
        except ApplicationError as e:
            self.error(table, row, "", e.message)
        return None

    def clean(self, table: Table, row: int, record: dict) -> dict | None:
        """Format-level parsing (dates, choices, province, required cells)."""
        values: dict[str, object] = {}
        ok = True
        for col in SHEETS[table.key]["cols"]:
            raw = record.get(col.key, "")
            if raw in ("", None):
                if col.required:
                    self.error(table, row, col.key, _("This cell is required."))
                    ok = False
                continue
            if col.kind == "date":
                try:
                    values[col.key] = _parse_date(raw)
                except ValueError:
                    self.error(table, row, col.key, _("Enter the date as YYYY-MM-DD."))
                    ok = False
            elif col.kind == "choice":
                value = col.choices.get(str(raw).strip().casefold())
                if value is None:
                    self.error(
                        table,
                        row,
                        col.key,
                        _("“%(v)s” is not one of the allowed values.") % {"v": raw},
                    )
                    ok = False
                values[col.key] = value
            elif col.kind == "province":
                code = _PROVINCE_ALIASES.get(_fold(raw))
                if code is None:
                    self.error(table, row, col.key, _("Unknown province “%(v)s”.") % {"v": raw})
                    ok = False
                values[col.key] = code
            elif col.kind == "operator":
                op = self.op_by_uscc.get(normalize_uscc(str(raw))) or self.op_by_name.get(raw)
                if op is None:
                    key = normalize_uscc(str(raw))
                    if key not in self.bad_operator_rows and raw not in self.bad_operator_rows:
                        self.error(
                            table,
                            row,
                            col.key,
                            _("No operator with this USCC or name in the file or the register."),
                        )
                    # else: the operator's own row is reported; its dependants are not
                    # repeated, since fixing that row fixes them.
                    ok = False
                values[col.key] = op
            else:
                values[col.key] = str(raw).strip()
        return values if ok else None

    def tick(self, done: int, total: int) -> None:
        if self.progress and total:
            self.progress(done * 100 // total)

    def run(self, tables: list[Table]) -> ImportResult:
        total = sum(len(t.rows) for t in tables)
        self.result.row_count = total
        done = 0
        for table in tables:
            getattr(self, f"_prepare_{table.key}", lambda: None)()
            handler = getattr(self, f"_{table.key}")
            seen: dict[object, int] = {}
            for row, record in table.rows:
                values = self.clean(table, row, record)
                if values is None:
                    if table.key == "operators":
                        self._mark_bad_operator(record, row)
                else:
                    handler(table, row, values, seen)
                done += 1
                self.tick(done, total)
        return self.result

    def _mark_bad_operator(self, record: dict, row: int) -> None:
        for key in (normalize_uscc(str(record.get("uscc", ""))), str(record.get("name_zh", ""))):
            if key:
                self.bad_operator_rows[key] = row

    def _duplicate(self, table, row, key, seen) -> bool:
        if key in seen:
            self.error(
                table, row, "", _("Duplicate of row %(n)d in this sheet.") % {"n": seen[key]}
            )
            return True
        seen[key] = row
        return False

    # -- operators
    def _operators(self, table: Table, row: int, v: dict, seen: dict) -> None:
        uscc = normalize_uscc(str(v.get("uscc", "")))
        key = uscc or ("individual", v["name_zh"])
        if self._duplicate(table, row, key, seen):
            return
        existing = self.op_by_uscc.get(uscc) if uscc else self._individual(v["name_zh"])
        fields = {
            k: v[k]
            for k in ("name_zh", "name_en", "entity_type", "uscc", "address", "entity_number")
            if k in v
        }
        if existing is None:
            op = self.call(
                table,
                row,
                register_services.operator_create,
                user=self.user,
                organization_id=self.org.pk,
                province=v["province"],
                **fields,
            )
            if op is None:
                self._mark_bad_operator(v, row)
                return
            self._remember(op)
            self.result.count(table.key, "create")
            return
        changes = {}
        for k, value in fields.items():
            current = getattr(existing, k)
            if k == "uscc":
                value = normalize_uscc(value)
            elif k == "entity_number":
                value = _number(value, entity=True)
            if value != current:
                changes[k] = value
        if v["province"] != existing.province_id:
            changes["province_id"] = v["province"]
        if not changes:
            self.result.count(table.key, "unchanged")
            return
        if "province_id" in changes:
            existing.province_id = changes.pop("province_id")
        op = self.call(
            table,
            row,
            register_services.operator_update,
            user=self.user,
            operator=existing,
            **changes,
        )
        if op is not None:
            self.result.count(table.key, "update")
        else:
            self._mark_bad_operator(v, row)

    def _individual(self, name: str) -> Operator | None:
        op = self.op_by_name.get(name)
        return op if op is not None and op.entity_type == EntityType.INDIVIDUAL else None

    # -- mini-programs
    def _prepare_miniprograms(self) -> None:
        self.mps = {
            (m.platform, m.appid): m
            for m in register.miniprogram_list_for_user(user=self.user).filter(
                organization=self.org
            )
        }
        self.mp_by_operator = {(m.operator_id, m.appid): m for m in self.mps.values()}

    def _miniprograms(self, table: Table, row: int, v: dict, seen: dict) -> None:
        op: Operator = v.pop("operator")
        try:
            appid = validate_appid(v["platform"], v["appid"])
        except ValidationError:
            appid = v["appid"]  # the service reports it
        if self._duplicate(table, row, (v["platform"], appid), seen):
            return
        existing = self.mps.get((v["platform"], appid))
        if existing is None:
            mp = self.call(
                table, row, register_services.miniprogram_create, user=self.user, operator=op, **v
            )
            if mp is not None:
                self.mps[(mp.platform, mp.appid)] = mp
                self.mp_by_operator[(mp.operator_id, mp.appid)] = mp
                self.result.count(table.key, "create")
            else:
                self.bad_services.update({appid, str(v["appid"])})
            return
        if existing.operator_id != op.pk:
            self.error(table, row, "appid", _("This AppID is registered to another operator."))
            return
        v["appid"] = appid
        if "icp_number" in v:
            v["icp_number"] = _number(v["icp_number"])
        self._update(table, row, existing, v, register_services.miniprogram_update, "miniprogram")

    def _update(self, table, row, existing, values, service, kwarg) -> None:
        changes = {k: val for k, val in values.items() if getattr(existing, k) != val}
        if not changes:
            self.result.count(table.key, "unchanged")
            return
        done = self.call(table, row, service, user=self.user, **{kwarg: existing}, **changes)
        if done is not None:
            self.result.count(table.key, "update")

    # -- domains
    def _prepare_domains(self) -> None:
        self.domains = {
            d.name: d
            for d in register.domain_list_for_user(user=self.user).filter(organization=self.org)
        }

    def _domains(self, table: Table, row: int, v: dict, seen: dict) -> None:
        op: Operator = v.pop("operator")
        try:
            name = normalize_domain(v["name"])
        except ValidationError:
            name = v["name"]
        if self._duplicate(table, row, name, seen):
            return
        existing = self.domains.get(name)
        if existing is None:
            d = self.call(
                table, row, register_services.domain_create, user=self.user, operator=op, **v
            )
            if d is not None:
                self.domains[d.name] = d
                self.result.count(table.key, "create")
            else:
                self.bad_services.update({name, str(v["name"])})
            return
        if existing.operator_id != op.pk:
            self.error(table, row, "name", _("This domain is registered to another operator."))
            return
        v["name"] = name
        if "icp_number" in v:
            v["icp_number"] = _number(v["icp_number"])
        self._update(table, row, existing, v, register_services.domain_update, "domain")

    # -- persons
    def _prepare_persons(self) -> None:
        self.people = set(
            register.person_list_for_user(user=self.user)
            .filter(organization=self.org)
            .values_list("operator_id", "id_number_hash", "role", "miniprogram_id", "domain_id")
        )
        if not hasattr(self, "mps"):
            self._prepare_miniprograms()
        if not hasattr(self, "domains"):
            self._prepare_domains()

    def _persons(self, table: Table, row: int, v: dict, seen: dict) -> None:
        op: Operator = v.pop("operator")
        miniprogram = domain = None
        if service := v.pop("service", ""):
            miniprogram = self.mp_by_operator.get((op.pk, service)) or self.mp_by_operator.get(
                (op.pk, service.lower())
            )
            if miniprogram is None:
                try:
                    domain = self.domains.get(normalize_domain(service))
                except ValidationError:
                    domain = None
                if service in self.bad_services:
                    return
                if domain is None or domain.operator_id != op.pk:
                    self.error(
                        table,
                        row,
                        "service",
                        _("No mini-program or domain of this operator matches."),
                    )
                    return
        id_type = v.get("id_type") or IdType.RESIDENT_ID
        number = str(v["id_number"]).strip().upper()
        if id_type == IdType.RESIDENT_ID:
            number = ric.compact(number).upper()
        key = (
            op.pk,
            pii.blind_index(number),
            v["role"],
            miniprogram.pk if miniprogram else None,
            domain.pk if domain else None,
        )
        if self._duplicate(table, row, key, seen):
            return
        if key in self.people:
            self.result.count(table.key, "unchanged")
            return
        person = self.call(
            table,
            row,
            register_services.person_create,
            user=self.user,
            operator=op,
            miniprogram=miniprogram,
            domain=domain,
            **v,
        )
        if person is not None:
            self.people.add(key)
            self.result.count(table.key, "create")
