"""Reading XLSX/CSV files into tables, and the downloadable templates."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from .columns import MAX_ROWS, ORDER, SHEETS, _fold, _header_aliases, _sheet_aliases

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


def _table_from_rows(key: str, name: str, rows, errors: list[RowError]) -> Table | None:
    aliases = _header_aliases(key)
    table = Table(key=key, name=name)
    header: list[str | None] | None = None
    for index, raw in enumerate(rows, start=1):
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
            table = _table_from_rows(key, sheet.name, rows, errors)
            if table is not None:
                tables[key] = table
    except CalamineError as exc:
        raise FileError(_("This is not a readable XLSX file.")) from exc
    finally:
        wb.close()
    return tables


def _read_csv(content: bytes, errors: list[RowError], *, sheet: str) -> dict[str, Table]:
    rows = list(csv.reader(io.StringIO(_decode(content))))
    key = sheet or _guess_sheet(rows[0] if rows else [])
    if key not in SHEETS:
        raise FileError(
            _(
                "Cannot tell which list this CSV holds; choose operators, miniprograms, "
                "domains or persons."
            )
        )
    table = _table_from_rows(key, key, rows, errors)
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


# -- templates -----------------------------------------------------------------------------


def template_xlsx(language: str) -> bytes:
    lang = "zh" if language.startswith("zh") else "en"
    wb = Workbook()
    if wb.active is not None:  # a new workbook starts with one empty sheet
        wb.remove(wb.active)
    bold = Font(bold=True)
    for key in ORDER:
        sheet = SHEETS[key]
        ws = wb.create_sheet(sheet[lang])
        ws.append([getattr(c, lang) + (" *" if c.required else "") for c in sheet["cols"]])
        for cell in ws[1]:
            cell.font = bold
        for i, col in enumerate(sheet["cols"], start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(14, len(col.en) + 4)
    info = wb.create_sheet("说明" if lang == "zh" else "Instructions")
    heads = (
        ("工作表", "列", "必填", "说明")
        if lang == "zh"
        else ("Sheet", "Column", "Required", "Notes")
    )
    info.append(list(heads))
    with translation.override("zh-hans" if lang == "zh" else "en"):
        for key in ORDER:
            sheet = SHEETS[key]
            for c in sheet["cols"]:
                info.append([sheet[lang], getattr(c, lang), "*" if c.required else "", str(c.hint)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv(sheet: str, language: str) -> str:
    lang = "zh" if language.startswith("zh") else "en"
    out = io.StringIO()
    csv.writer(out).writerow([getattr(c, lang) for c in SHEETS[sheet]["cols"]])
    return "\ufeff" + out.getvalue()
