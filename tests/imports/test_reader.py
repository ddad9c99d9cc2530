"""The XLSX reader (calamine) gives the cells openpyxl's read-only mode gave."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from imports import reader


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "域名"
    # Two empty rows first: row numbers must stay the spreadsheet's.
    ws.append([])
    ws.append([])
    ws.append(["operator", "name", "registrar", "expires_on", "live_since", "icp_number"])
    ws.append(
        # A date-and-time cell: spreadsheets hold naive ones.
        ["  甲公司 ", "a.cn", None, datetime.date(2030, 1, 31), datetime.datetime(2024, 5, 1)],  # noqa: DTZ001
    )
    ws.append([])  # an empty row in the middle is skipped, not renumbered
    ws.append(["91440300000000001X", "b.cn", 12345, 1.5, "2024/5/1", 10**12])
    ws.append([None, "c.cn", 0, -0.0, None, True])
    notes = wb.create_sheet("Instructions")
    notes.append(["not a sheet of the template"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_openpyxl(content: bytes) -> list[tuple[int, dict]]:
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    errors: list[reader.RowError] = []
    table = reader._table_from_rows(
        "domains", "域名", enumerate(wb["域名"].iter_rows(values_only=True), start=1), errors
    )
    assert table is not None
    assert errors == []
    return table.rows


def test_xlsx_cells_read_as_openpyxl_read_them():
    content = _workbook()

    tables, errors = reader.read_file(content, "f.xlsx")

    assert errors == []
    assert [t.key for t in tables] == ["domains"]
    rows = tables[0].rows
    assert rows == _with_openpyxl(content)
    assert rows == [
        (
            4,
            {
                "operator": "甲公司",
                "name": "a.cn",
                "expires_on": datetime.date(2030, 1, 31),
                "live_since": datetime.date(2024, 5, 1),
            },
        ),
        (
            6,
            {
                "operator": "91440300000000001X",
                "name": "b.cn",
                "registrar": "12345",
                "expires_on": "1.5",
                "live_since": "2024/5/1",
                "icp_number": "1000000000000",
            },
        ),
        (7, {"name": "c.cn", "registrar": "0", "expires_on": "0", "icp_number": "True"}),
    ]


def test_a_file_that_is_not_xlsx_is_refused():
    with pytest.raises(reader.FileError, match="not a readable XLSX"):
        reader.read_file(b"PK\x03\x04 not really a zip", "f.xlsx")
