"""Files the import pages hand out: the templates (with an example of every sheet and the
allowed values as dropdowns) and the uploaded file back with a "problems" column.

Headings follow the language asked for (en or zh); both are recognised on import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from icp.provinces import PROVINCES
from miniprograms.models import (
    EntityType,
    IdType,
    Lifecycle,
    PersonRole,
    Platform,
    RealNameStatus,
    ServiceKind,
)

from .columns import ORDER, SHEETS, Col
from .reader import RowError, Table

# The template's other sheets and the problems column, in both languages (like the lists'
# names in columns.py; none of them is read back as a list).
TITLES = {
    "lists": {"en": "Allowed values", "zh": "可选值"},
    "instructions": {"en": "Instructions", "zh": "说明"},
    "examples": {"en": "Examples", "zh": "示例"},
    "problems": {"en": "Problems", "zh": "问题"},
}

# Rows of the data sheets that get the dropdowns (the header is row 1).
VALIDATED_ROWS = 5000

# The register's labels of each choice column (the English ones are recognised on import).
_LABELS = {
    "entity_type": EntityType,
    "kind": ServiceKind,
    "platform": Platform,
    "lifecycle": Lifecycle,
    "real_name_status": RealNameStatus,
    "role": PersonRole,
    "id_type": IdType,
}

# One example row per sheet, as a person would type it (values in English or Chinese).
_EXAMPLE_USCC = "91440300MA5FK8Q3RW"
EXAMPLES: dict[str, dict[str, dict[str, str]]] = {
    "operators": {
        "en": {
            "name_zh": "深圳示例科技有限公司",
            "name_en": "Shenzhen Example Technology Co., Ltd.",
            "entity_type": "4",
            "uscc": _EXAMPLE_USCC,
            "province": "440000",
            "address": "Nanshan District, Shenzhen",
            "entity_number": "粤ICP备2024286477号",
        },
        "zh": {"address": "深圳市南山区科技园"},
    },
    "miniprograms": {
        "en": {
            "operator": _EXAMPLE_USCC,
            "name": "示例商城",
            "kind": "miniprogram",
            "platform": "wechat",
            "appid": "wx1234567890abcdef",
            "launch_date": "2024-05-01",
            "lifecycle": "live",
            "content_category": "",
            "icp_number": "粤ICP备2024286477号-2X",
        },
        "zh": {},
    },
    "domains": {
        "en": {
            "operator": _EXAMPLE_USCC,
            "name": "example.cn",
            "site_name": "示例官网",
            "registrar": "Alibaba Cloud",
            "real_name_status": "verified",
            "registrant_name": "深圳示例科技有限公司",
            "expires_on": "2030-01-31",
            "live_since": "2024-05-01",
            "icp_number": "粤ICP备2024286477号-1",
        },
        "zh": {"registrar": "阿里云"},
    },
    "persons": {
        "en": {
            "operator": _EXAMPLE_USCC,
            "role": "entity",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "id_expires_on": "long-term",
            "mobile": "13800138000",
            "email": "zhangsan@example.cn",
            "emergency_contact": "13900139000",
            "service": "",
        },
        "zh": {"id_expires_on": "长期"},
    },
}


def _lang(language: str) -> str:
    return "zh" if language.startswith("zh") else "en"


def _chinese(text: str) -> bool:
    """A Chinese alias (not an English label quoting the Chinese term)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text) and not any(
        ch.isascii() and ch.isalpha() for ch in text
    )


def choice_options(col: Col, lang: str) -> list[str]:
    """The allowed values of a choice column as the template's dropdown lists them: the
    Chinese names in a Chinese template, the register's English labels in an English one.
    Every option reads back to its value on import."""
    if col.kind == "province":
        return [p.name_zh if lang == "zh" else p.name_en for p in PROVINCES]
    aliases = col.choices or {}
    values = list(dict.fromkeys(aliases.values()))
    options = []
    with translation.override("en"):
        english = {str(v): str(label) for v, label in _LABELS[col.key].choices}
    for value in values:
        zh = next((a for a, v in aliases.items() if v == value and _chinese(a)), None)
        option = zh if lang == "zh" and zh else english.get(value, value)
        options.append(option if aliases.get(option.casefold()) == value else value)
    return options


def _example_value(col: Col, value: str, lang: str) -> str:
    """An example cell in the template's language (choices by their dropdown option)."""
    if not value or col.kind not in ("choice", "province"):
        return value
    if col.kind == "province":
        province = next(p for p in PROVINCES if p.code == value)
        return province.name_zh if lang == "zh" else province.name_en
    values = list(dict.fromkeys((col.choices or {}).values()))
    return choice_options(col, lang)[values.index(value)]


def _headings(key: str, lang: str) -> list[str]:
    return [getattr(c, lang) + (" *" if c.required else "") for c in SHEETS[key]["cols"]]


def template_xlsx(language: str) -> bytes:
    """The import workbook: one sheet per list (dropdowns for the allowed values), the
    instructions, an example of every sheet, and the hidden sheet the dropdowns read."""
    lang = _lang(language)
    with translation.override("zh-hans" if lang == "zh" else "en"):
        return _template_xlsx(lang)


def _template_xlsx(lang: str) -> bytes:
    wb = Workbook()
    if wb.active is not None:  # a new workbook starts with one empty sheet
        wb.remove(wb.active)
    bold = Font(bold=True)
    lists = wb.create_sheet(TITLES["lists"][lang])  # moved last below
    lists.sheet_state = "hidden"
    list_column = 0
    for key in ORDER:
        sheet = SHEETS[key]
        ws = wb.create_sheet(sheet[lang])
        ws.append(_headings(key, lang))
        ws.freeze_panes = "A2"
        for i, col in enumerate(sheet["cols"], start=1):
            letter = get_column_letter(i)
            ws.cell(1, i).font = bold
            ws.column_dimensions[letter].width = max(14, len(col.en) + 4)
            if col.kind not in ("choice", "province"):
                continue
            list_column += 1
            options = choice_options(col, lang)
            list_letter = get_column_letter(list_column)
            lists.cell(1, list_column, f"{sheet[lang]}: {getattr(col, lang)}")
            for r, option in enumerate(options, start=2):
                lists.cell(r, list_column, option)
            dv = DataValidation(
                type="list",
                formula1=f"'{lists.title}'!${list_letter}$2:${list_letter}${len(options) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle=_("Not in the list"),
                error=_("Choose one of the values in the list."),
            )
            dv.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            ws.add_data_validation(dv)
    _instructions(wb.create_sheet(TITLES["instructions"][lang]), lang, bold)
    _examples(wb.create_sheet(TITLES["examples"][lang]), lang, bold)
    wb.move_sheet(lists, offset=len(wb.sheetnames) - 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _instructions(info, lang: str, bold: Font) -> None:
    info.append([_("Sheet"), _("Column"), _("Required"), _("Notes")])
    for cell in info[1]:
        cell.font = bold
    for key in ORDER:
        sheet = SHEETS[key]
        for c in sheet["cols"]:
            info.append([sheet[lang], getattr(c, lang), "*" if c.required else "", str(c.hint)])
    info.append([])
    info.append(
        [
            _(
                "The Examples sheet shows one filled-in row of every sheet; it is never "
                "imported. Delete nothing: empty sheets are simply skipped."
            )
        ]
    )


def _examples(ws, lang: str, bold: Font) -> None:
    """One block per sheet: its name, its headings and one example row (never imported:
    the importer reads only the sheets named like the lists)."""
    fill = PatternFill("solid", fgColor="FFF2CC")
    ws.append([_("Example rows: copy the layout into the sheets of the same name.")])
    ws.cell(1, 1).font = bold
    for key in ORDER:
        sheet = SHEETS[key]
        example = {**EXAMPLES[key]["en"], **(EXAMPLES[key][lang] if lang == "zh" else {})}
        ws.append([])
        ws.append([sheet[lang]])
        ws.cell(ws.max_row, 1).font = bold
        ws.append(_headings(key, lang))
        ws.append([_example_value(c, example.get(c.key, ""), lang) for c in sheet["cols"]])
        for cell in ws[ws.max_row]:
            cell.fill = fill
    for i in range(1, 11):
        ws.column_dimensions[get_column_letter(i)].width = 20


def template_csv(sheet: str, language: str) -> str:
    lang = _lang(language)
    out = io.StringIO()
    csv.writer(out).writerow([getattr(c, lang) for c in SHEETS[sheet]["cols"]])
    return "\ufeff" + out.getvalue()


# -- the upload back, with its problems ----------------------------------------------------


def _problems_by_row(errors: Iterable[RowError], lang: str) -> dict[tuple[str, int], list[str]]:
    labels = {col.key: getattr(col, lang) for sheet in SHEETS.values() for col in sheet["cols"]}
    found: dict[tuple[str, int], list[str]] = {}
    for e in errors:
        text = f"{labels.get(e.field, e.field)}: {e.reason}" if e.field else e.reason
        found.setdefault((e.sheet, e.row), []).append(text)
    return found


def _rows_with_problems(
    table: Table, problems: dict[tuple[str, int], list[str]], lang: str
) -> tuple[list[str], list[list[object]]]:
    cols = SHEETS[table.key]["cols"]
    head = [getattr(c, lang) for c in cols] + [TITLES["problems"][lang]]
    body: list[list[object]] = []
    for row, record in table.rows:
        found = problems.get((table.name, row), [])
        body.append([record.get(c.key, "") for c in cols] + ["\n".join(found)])
    return head, body


def problems_xlsx(tables: list[Table], errors: Iterable[RowError], language: str) -> bytes:
    """Every sheet that was read, every row, and a last column listing the row's problems.
    Fixed and uploaded again, it imports like the original (the extra column is ignored)."""
    lang = _lang(language)
    problems = _problems_by_row(errors, lang)
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    bold = Font(bold=True)
    flagged = PatternFill("solid", fgColor="F8D7DA")
    for table in tables:
        ws = wb.create_sheet(table.name[:31])
        head, body = _rows_with_problems(table, problems, lang)
        ws.append(head)
        for cell in ws[1]:
            cell.font = bold
        for values in body:
            ws.append(values)
            if values[-1]:
                ws.cell(ws.max_row, len(values)).fill = flagged
        ws.column_dimensions[get_column_letter(len(head))].width = 60
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def problems_csv(tables: list[Table], errors: Iterable[RowError], language: str) -> str:
    """The CSV's rows with a last column listing each row's problems."""
    lang = _lang(language)
    problems = _problems_by_row(errors, lang)
    out = io.StringIO()
    writer = csv.writer(out)
    for table in tables[:1]:  # a CSV holds one list
        head, body = _rows_with_problems(table, problems, lang)
        writer.writerow(head)
        writer.writerows(body)
    return "\ufeff" + out.getvalue()
