"""Reading XLSX/CSV files into tables, and the downloadable templates."""

from __future__ import annotations

import csv
import datetime
import io
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from .columns import MAX_ROWS, ORDER, SHEETS, _fold, _header_aliases, _sheet_aliases
from .limits import LimitError, xlsx_check_stream

# -- reading -------------------------------------------------------------------------------


@dataclass
class RowError:
    sheet: str  # as named in the file
    row: int  # spreadsheet row number (header is row 1)
    field: str  # column key ("" for the whole row)
    reason: str

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "field": self.field, "reason": self.reason}


@dataclass
class Table:
    key: str
    name: str  # as named in the file
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


class FileError(ValueError):
    """The file as a whole cannot be read (format, size, no recognised sheet)."""


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.date):
        return value
    return str(value).strip()


def _table_from_rows(
    key: str, name: str, rows: Iterable[tuple[int, Sequence[object]]], errors: list[RowError]
) -> Table | None:
    """Rows as (spreadsheet row number, cells) → the sheet's records under column keys."""
    aliases = _header_aliases(key)
    table = Table(key=key, name=name)
    header: list[str | None] | None = None
    for index, raw in rows:
        values = [_cell(v) for v in raw]
        if header is None:
            if not any(values):
                continue
            header = [aliases.get(_fold(str(v))) for v in values]
            missing = [c for c in SHEETS[key]["cols"] if c.required and c.key not in header]
            for col in missing:
                errors.append(RowError(name, index, col.key, _("Required column is missing.")))
            if missing:
                return None
            continue
        if not any(v not in ("", None) for v in values):
            continue
        record = {k: v for k, v in zip(header, values, strict=False) if k is not None and v != ""}
        table.rows.append((index, record))
    return table


def _read_xlsx(content: bytes, errors: list[RowError]) -> dict[str, Table]:
    # calamine (Rust) reads the cells as openpyxl's read-only mode did (dates, numbers, empty
    # cells, the cached values of formulas) several times faster. skip_empty_area=False keeps
    # the sheet's first row as row 1: the row numbers in the errors are the spreadsheet's.
    # Counted while streaming first, stopping at the first limit passed: calamine builds
    # each sheet whole in memory, so it only ever sees a sheet known to be bounded.
    try:
        xlsx_check_stream(io.BytesIO(content))
    except LimitError as exc:
        raise FileError(str(exc)) from None
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except CalamineError as exc:
        raise FileError(_("This is not a readable XLSX file.")) from exc
    tables: dict[str, Table] = {}
    aliases = _sheet_aliases()
    try:
        for sheet in wb.sheets_metadata:
            key = aliases.get(_fold(sheet.name))
            if sheet.typ != SheetTypeEnum.WorkSheet or key is None or key in tables:
                continue  # instructions, charts or unrelated sheets
            rows = wb.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
            table = _table_from_rows(key, sheet.name, enumerate(rows, start=1), errors)
            if table is not None:
                tables[key] = table
    except CalamineError as exc:
        raise FileError(_("This is not a readable XLSX file.")) from exc
    finally:
        wb.close()
    return tables


# csv.field_size_limit is one value for the whole process: it is set for each read and put
# back afterwards, one read at a time.
_FIELD_LIMIT_LOCK = threading.Lock()


@contextmanager
def _csv_field_limit(chars: int) -> Iterator[None]:
    with _FIELD_LIMIT_LOCK:
        previous = csv.field_size_limit(chars)
        try:
            yield
        finally:
            csv.field_size_limit(previous)


def _csv_rows(text: str, problems: list[tuple[int, str]]) -> Iterator[tuple[int, list]]:
    """(record number, cells), counting while reading: a record that cannot be read (a
    field too long, too many columns, a stray line break) is left out and its problem
    kept; more records than a sheet may hold stop the read (FileError)."""
    max_chars = int(settings.IMPORTS_CSV_MAX_FIELD_CHARS)
    max_columns = int(settings.IMPORTS_MAX_COLUMNS)
    reader = csv.reader(io.StringIO(text))
    number = 0
    with _csv_field_limit(max_chars):
        while True:
            number += 1
            if number > MAX_ROWS + 1:
                raise FileError(_("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field limit" in str(exc):
                    reason = _("A cell holds more than %(n)d characters.") % {"n": max_chars}
                else:
                    reason = _("This line cannot be read as CSV (a stray quote or line break?).")
                problems.append((number, reason))
                continue
            if len(row) > max_columns:
                problems.append(
                    (number, _("This row has more than %(n)d columns.") % {"n": max_columns})
                )
                continue
            yield number, row


def _read_csv(content: bytes, errors: list[RowError], *, sheet: str) -> dict[str, Table]:
    problems: list[tuple[int, str]] = []
    rows = _csv_rows(_decode(content), problems)
    first = next(rows, None)
    key = sheet or _guess_sheet(first[1] if first else [])
    if key not in SHEETS:
        raise FileError(
            _(
                "Cannot tell which list this CSV holds; choose operators, miniprograms, "
                "domains or persons."
            )
        )
    head = [first] if first else []
    table = _table_from_rows(key, key, [*head, *rows], errors)
    errors.extend(RowError(key, number, "", reason) for number, reason in problems)
    return {key: table} if table is not None else {}


def read_file(content: bytes, filename: str, *, sheet: str = "") -> tuple[list[Table], list]:
    """Tables in processing order, and file-level row errors (missing columns)."""
    errors: list[RowError] = []
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        tables = _read_xlsx(content, errors)
    elif lower.endswith(".csv"):
        tables = _read_csv(content, errors, sheet=sheet)
    else:
        raise FileError(_("Upload an .xlsx or a .csv file."))
    if not tables and not errors:
        raise FileError(_("No sheet of the import template was found in this file."))
    total = sum(len(t.rows) for t in tables.values())
    if total > MAX_ROWS:
        raise FileError(_("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})
    return [tables[k] for k in ORDER if k in tables], errors


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(_("The CSV file is neither UTF-8 nor GB18030 text."))


def _guess_sheet(header: list[str]) -> str:
    best, best_score = "", 0
    for key in SHEETS:
        aliases = _header_aliases(key)
        cols = {aliases.get(_fold(h)) for h in header} - {None}
        required = {c.key for c in SHEETS[key]["cols"] if c.required}
        score = len(cols) + (100 if required <= cols else 0)
        if score > best_score:
            best, best_score = key, score
    return best if best_score >= 100 else ""
