"""Applying tables with the register's rules: rows checked one by one in memory, written in bulk.

Each sheet's rows are checked with the services' own query-free checks (`operator_build`,
`miniprogram_apply`, `person_build`, … then `clean_without_queries`), matched against rows
loaded once per sheet, and written per sheet by `imports.bulk` (one insert and one update per
model). The queries per file are therefore a constant, not a number per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.access import (
    can_edit_in_organization,
    ensure_can_edit_in_organization,
    ensure_can_edit_operator,
)
from accounts.types import User
from core import pii
from core.exceptions import ApplicationError
from miniprograms import selectors as register
from miniprograms.models import Domain, MiniProgram, Operator, Province
from miniprograms.ownership import filter_by_organization
from miniprograms.services import clean_without_queries
from miniprograms.validators import normalize_uscc

from . import bulk
from .cells import CellError, cell_text, read_cell
from .columns import SHEETS
from .reader import RowError, Table
from .sheets import APPLIERS

# Cells whose value other checks depend on: when the cell cannot be read, those checks'
# messages are not shown (they would blame the wrong cell).
DEPENDS: dict[str, tuple[str, ...]] = {
    "entity_type": ("uscc",),
    "id_type": ("id_number",),
    "platform": ("appid",),
}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    summary: dict[str, dict[str, int]] = field(default_factory=dict)
    row_count: int = 0
    # Operators whose register rows this run created or changed (for the compliance refresh).
    operator_ids: set[int] = field(default_factory=set)

    def count(self, sheet: str, what: str) -> None:
        counts = self.summary.setdefault(sheet, {"create": 0, "update": 0, "unchanged": 0})
        counts[what] += 1


class Importer:
    """Applies tables through the register services; collects every bad row.

    The state the sheet appliers share (operators known so far, services by key, rows that
    failed) lives here; each sheet's matching and writing lives in `imports/sheets/`.
    """

    def __init__(self, *, user: User, organization, progress: Callable[[int], None] | None = None):
        self.user = user
        self.org = organization
        self.progress = progress
        self.result = ImportResult()
        visible = filter_by_organization(
            register.operator_list_for_user(user=user), organization.pk
        )
        self.op_by_uscc: dict[str, Operator] = {}
        self.op_by_name: dict[str, Operator] = {}
        for op in visible:
            self.remember(op)
        self.provinces: dict[str, Province] = Province.objects.in_bulk()
        # Managers and unrestricted editors may edit every operator of the organization, so
        # one check stands for the services' per-row ones; anyone else (a role changed since
        # the preview) goes through those per-row checks and gets their refusals.
        self.may_edit = can_edit_in_organization(user, organization.pk)
        self.batch = bulk.Batch()
        self.bad_operator_rows: dict[str, int] = {}
        # AppIDs and domain names whose own row failed: persons pointing at them are skipped
        # silently, as the failing row is already reported.
        self.bad_services: set[str] = set()
        # Filled by the appliers' prepare() when their sheet comes up.
        self.loaded: set[str] = set()  # sheets whose prepare() ran
        self.mps: dict[tuple[str, str], MiniProgram] = {}
        self.mp_by_operator: dict[tuple[int, str], MiniProgram] = {}
        self.domains: dict[str, Domain] = {}
        self.people: set[tuple] = set()

    def remember(self, op: Operator) -> None:
        if op.uscc:
            self.op_by_uscc[op.uscc] = op
        self.op_by_name.setdefault(op.name_zh, op)

    def forget(self, op: Operator) -> None:
        if self.op_by_uscc.get(op.uscc) is op:
            del self.op_by_uscc[op.uscc]
        if self.op_by_name.get(op.name_zh) is op:
            del self.op_by_name[op.name_zh]

    # -- bookkeeping
    def error(self, table: Table, row: int, field_key: str, reason: str) -> None:
        # Validator messages may quote part of an ID number: never store one in clear.
        self.result.errors.append(RowError(table.name, row, field_key, pii.mask_text(str(reason))))

    def call(self, table: Table, row: int, fn: Callable[..., Any], **kwargs: Any) -> Any:
        """Run a register check or service; its refusals become row errors (None returned)."""
        try:
            return fn(**kwargs)
        except ValidationError as e:
            self._validation_errors(table, row, e)
        except ApplicationError as e:
            self.error(table, row, "", e.message)
        return None

    def validate(
        self,
        table: Table,
        row: int,
        build: Callable[[], Any],
        *,
        exclude: tuple[str, ...] = (),
        shape: Callable[[], Any] | None = None,
    ) -> Any:
        """`build()` (a service's query-free checks), then full_clean without queries: what
        the service would refuse becomes row errors, in the service's order (None returned).

        `shape()`: the row as an unchecked instance. When `build()` refuses the row, the
        other fields still go through full_clean on it, so that every problem of the row
        is reported at once, not one per upload.
        """
        before = len(self.result.errors)
        obj = self.call(table, row, build)
        if obj is None:
            if shape is not None and len(self.result.errors) > before:
                reported = {e.field for e in self.result.errors[before:]}
                self._clean_rest(table, row, shape, (*exclude, *reported))
            return None
        try:
            clean_without_queries(obj, exclude=exclude)
        except ValidationError as e:
            self._validation_errors(table, row, e)
            return None
        return obj

    def _clean_rest(
        self, table: Table, row: int, shape: Callable[[], Any], exclude: tuple[str, ...]
    ) -> None:
        try:
            clean_without_queries(shape(), exclude=exclude)
        except ValidationError as e:
            before = len(self.result.errors)
            self._validation_errors(table, row, e)
            # A whole-row message already given by build() is not repeated.
            seen = {(x.field, x.reason) for x in self.result.errors[:before] if x.row == row}
            self.result.errors[before:] = [
                x for x in self.result.errors[before:] if (x.field, x.reason) not in seen
            ]

    def allowed(self, table: Table, row: int, operator: Operator | None = None) -> bool:
        """The service's role check (`accounts.access.ensure_*`: to add an operator, or to
        edit `operator`), run per row only when the organization-wide one failed."""
        if self.may_edit:
            return True
        before = len(self.result.errors)
        if operator is None:
            self.call(
                table,
                row,
                ensure_can_edit_in_organization,
                user=self.user,
                organization_id=self.org.pk,
            )
        else:
            self.call(table, row, ensure_can_edit_operator, user=self.user, operator=operator)
        return len(self.result.errors) == before

    def _validation_errors(self, table: Table, row: int, e: ValidationError) -> None:
        if not hasattr(e, "error_dict"):
            for m in e.messages:
                self.error(table, row, "", m)
            return
        for key, messages in e.message_dict.items():
            for m in messages:
                self.error(table, row, "" if key == "__all__" else key, m)

    def duplicate(self, table: Table, row: int, key: object, seen: dict) -> bool:
        if key in seen:
            self.error(
                table, row, "", _("Duplicate of row %(n)d in this sheet.") % {"n": seen[key]}
            )
            return True
        seen[key] = row
        return False

    def update(
        self,
        table: Table,
        row: int,
        existing,
        values: dict,
        apply: Callable[[Any, dict], Any],
        *,
        operator: Operator,
        exclude: tuple[str, ...] = (),
        on_fail: Callable[[], None] | None = None,
    ) -> None:
        """Check `existing` with the values that differ (the update service's checks), queue it
        for the sheet's bulk update, and count it when written."""
        changes = {k: val for k, val in values.items() if getattr(existing, k) != val}
        if not changes:
            self.result.count(table.key, "unchanged")
            return
        permitted = self.allowed(table, row, operator)
        checked = self.validate(
            table,
            row,
            lambda: apply(existing, changes),
            exclude=exclude,
            shape=lambda: existing,
        )
        if permitted and checked:
            self.batch.update(row, existing, on_fail)

    def mark_bad_operator(self, record: dict, row: int) -> None:
        for key in (normalize_uscc(str(record.get("uscc", ""))), str(record.get("name_zh", ""))):
            if key:
                self.bad_operator_rows[key] = row

    # -- cells
    def clean(self, table: Table, row: int, record: dict) -> tuple[dict | None, set[str]]:
        """Format-level parsing (dates, choices, province, required cells).

        Returns the values read and the keys of the cells that could not be read; the
        values are None when a required cell is missing or unreadable (the row cannot be
        checked further).
        """
        values: dict[str, object] = {}
        failed: set[str] = set()
        ok = True
        for col in SHEETS[table.key]["cols"]:
            try:
                # A cell of invisible characters only is an empty cell.
                raw = cell_text(record.get(col.key, ""))
                if raw in ("", None):
                    if col.required:
                        self.error(table, row, col.key, _("This cell is required."))
                        ok = False
                    continue
                value = self._operator(raw) if col.kind == "operator" else read_cell(col, raw)
            except CellError as e:
                if e.reason:
                    self.error(table, row, col.key, e.reason)
                failed.add(col.key)
                ok = ok and not col.required
                continue
            values[col.key] = value
        return (values if ok else None), failed

    def _operator(self, raw: object) -> Operator:
        key = normalize_uscc(str(raw))
        op = self.op_by_uscc.get(key) or self.op_by_name.get(str(raw))
        if op is not None:
            return op
        if key in self.bad_operator_rows or raw in self.bad_operator_rows:
            # The operator's own row is reported; its dependants are not repeated, since
            # fixing that row fixes them.
            raise CellError(None)
        raise CellError(_("No operator with this USCC or name in the file or the register."))

    # -- running
    def tick(self, done: int, total: int) -> None:
        if self.progress and total:
            self.progress(done * 100 // total)

    def run(self, tables: list[Table]) -> ImportResult:
        total = sum(len(t.rows) for t in tables)
        self.result.row_count = total
        done = 0
        for table in tables:
            applier = APPLIERS[table.key]
            applier.prepare(self)
            first_error = len(self.result.errors)
            seen: dict[object, int] = {}
            for row, record in table.rows:
                values, failed = self.clean(table, row, record)
                if values is not None and not failed:
                    applier.apply(self, table, row, values, seen)
                elif values is not None:
                    self.check_only(applier, table, row, values, failed, seen)
                if (values is None or failed) and table.key == "operators":
                    self.mark_bad_operator(record, row)
                done += 1
                self.tick(done, total)
            self.flush(table)
            # Errors of a refused write come after the checks': back in row order.
            errors = self.result.errors
            errors[first_error:] = sorted(errors[first_error:], key=lambda e: e.row)
        return self.result

    def check_only(
        self, applier: Any, table: Table, row: int, values: dict, failed: set[str], seen: dict
    ) -> None:
        """A row with unreadable optional cells: the register's checks still run on the
        cells that were read, so all of the row's problems are reported together; nothing
        of it is written (the row is taken back out of the sheet's batch)."""
        before = len(self.result.errors)
        applier.apply(self, table, row, values, seen)
        # Checks that depend on an unreadable cell would only echo it (e.g. the USCC rule
        # depends on the entity type): drop them.
        hidden = failed | {k for f in failed for k in DEPENDS.get(f, ())}
        self.result.errors[before:] = [
            e for e in self.result.errors[before:] if e.field not in hidden
        ]
        for writes in (self.batch.creates, self.batch.updates):
            for w in [w for w in writes if w.row == row]:
                writes.remove(w)
                if w.on_fail is not None:
                    w.on_fail()

    def flush(self, table: Table) -> None:
        """Write the sheet's queued rows (the next sheets refer to them by id)."""
        batch, self.batch = self.batch, bulk.Batch()

        def failed(write: bulk.Write, e: ValidationError) -> None:
            self._validation_errors(table, write.row, e)
            if write.on_fail is not None:
                write.on_fail()

        for what, saved in (
            ("create", bulk.write_creates(batch.creates, failed)),
            ("update", bulk.write_updates(batch.updates, failed)),
        ):
            for write in saved:
                self.result.count(table.key, what)
                op_id = bulk.operator_id(write.obj)
                if op_id is not None:
                    self.result.operator_ids.add(op_id)
