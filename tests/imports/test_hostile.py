"""Hostile files: bombs refused before anything is parsed, CSV limits as row errors.

Each XLSX bomb is refused in the request from the zip's directory, and, with that check out of
the way, by the worker's streaming count: in under a second and 50 MB of Python allocations
either way (bench/import_bombs.py has the numbers, and those of reading them unguarded).
"""

from __future__ import annotations

import csv
import io
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from imports import limits, reader
from imports.models import ImportRun, ImportStatus
from miniprograms.models import Operator
from tests.factories import valid_uscc

from . import bombs

pytestmark = pytest.mark.django_db

T = TypeVar("T")
SECONDS = 1.0
PEAK_BYTES = 50 * 1024 * 1024

BOMBS: dict[str, Callable[[], bytes]] = {
    "empty_rows": lambda: bombs.empty_rows(2_000_000, dimension=False),
    "empty_cells": lambda: bombs.empty_rows(2_000_000, dimension=False, cells=True),
    "shared_strings": lambda: bombs.shared_strings(3_000_000, count=False),
    "wide_header": lambda: bombs.wide_header(1_000_000),
}
MESSAGES = {
    "empty_rows": "more than 50000 rows",
    "empty_cells": "more than 50000 rows",
    "shared_strings": "more than 1000000 different texts",
    "wide_header": "more than 100 columns",
}


# What the zip's directory gives away first.
DIRECTORY_MESSAGES = {
    "empty_rows": "compressed suspiciously well",
    "empty_cells": "would take more than 64 MB",
    "shared_strings": "compressed suspiciously well",
    "wide_header": "compressed suspiciously well",
}


@pytest.fixture(scope="module")
def bomb_files() -> dict[str, bytes]:
    return {name: build() for name, build in BOMBS.items()}


def _measured(fn: Callable[[], T]) -> tuple[T, float, int]:
    """fn's result, its wall time, then the peak of Python allocations of a second call
    (tracemalloc slows Python code down several times: it is not on while timing)."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def _upload(api, user, content: bytes, name: str):
    return api(user).post(
        "/api/v1/imports/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("bomb", list(BOMBS), ids=[f"{b}_case" for b in BOMBS])
def test_a_bomb_is_refused_by_the_request_before_anything_is_parsed_or_stored(
    api, manager, org, settings, bomb_files, bomb
):
    # given: a small upload, and the upload path warmed up (modules imported, URLs resolved)
    content = bomb_files[bomb]
    assert len(content) < 400 * 1024
    assert _upload(api, manager, b"PK", "warm-up.xlsx").status_code == 400

    # when
    response, seconds, peak = _measured(lambda: _upload(api, manager, content, f"{bomb}.xlsx"))

    # then
    assert response.status_code == 400
    assert DIRECTORY_MESSAGES[bomb] in str(response.json())
    assert seconds < SECONDS
    assert peak < PEAK_BYTES
    assert ImportRun.objects.count() == 0
    assert _stored_files(settings) == []


@pytest.mark.parametrize("bomb", list(BOMBS), ids=[f"{b}_case" for b in BOMBS])
def test_a_bomb_past_the_directory_check_is_refused_by_the_workers_streaming_count(
    api, manager, org, settings, bomb_files, bomb
):
    # given: the directory's checks out of the way, and no declared size to read in it
    settings.IMPORTS_XLSX_MAX_RATIO = 10**9
    settings.IMPORTS_XLSX_MAX_UNCOMPRESSED_BYTES = 10**12
    content = bomb_files[bomb]

    # when: the request accepts it, the worker reads it
    assert _upload(api, manager, b"PK", "warm-up.xlsx").status_code == 400
    response = _upload(api, manager, content, f"{bomb}.xlsx")
    run = ImportRun.objects.get(pk=response.json()["id"])
    refused, seconds, peak = _measured(lambda: _refusal(content))

    # then
    assert response.status_code == 202
    assert (run.status, run.row_count, Operator.objects.count()) == (ImportStatus.INVALID, 0, 0)
    assert MESSAGES[bomb] in run.error
    assert MESSAGES[bomb] in refused
    assert seconds < SECONDS
    assert peak < PEAK_BYTES


def _refusal(content: bytes) -> str:
    with pytest.raises(reader.FileError) as excinfo:
        reader.read_file(content, "bomb.xlsx")
    return str(excinfo.value)


def test_a_sheet_declaring_too_many_rows_is_refused_from_its_first_kilobytes(
    api, manager, org, settings
):
    # given: numbered rows, as Excel writes them, pack only ~9x: the ratio does not see them
    content = bombs.empty_rows(60_000, numbered=True)

    response, seconds, _peak = _measured(lambda: _upload(api, manager, content, "rows.xlsx"))

    assert response.status_code == 400
    assert "A sheet has more than 50000 rows." in str(response.json())
    assert seconds < SECONDS
    assert ImportRun.objects.count() == 0


def test_declared_counts_of_columns_and_texts_are_refused_in_the_request(
    api, manager, org, settings
):
    settings.IMPORTS_XLSX_MAX_RATIO = 10**9
    wide = _upload(api, manager, bombs.wide_header(20_000, dimension=True), "wide.xlsx")
    texts = _upload(api, manager, bombs.shared_strings(1_000_001), "texts.xlsx")

    assert (wide.status_code, texts.status_code) == (400, 400)
    assert "more than 100 columns" in str(wide.json())
    assert "more than 1000000 different texts" in str(texts.json())
    assert ImportRun.objects.count() == 0


def test_parts_stored_under_unusual_names_are_counted_too():
    # given: a sheet and shared strings where the relationships, not the usual names, say
    wide = bombs.wide_header(300, sheet="data/d.xml", strings="t/s.xml")
    texts = bombs.shared_strings(2000, count=False, sheet="data/d.xml", strings="t/s.xml")
    # (calamine follows the relationships: it would read them)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(wide)).get_sheet_by_index(0)
    assert len(sheet.to_python()[0]) == 300

    # then
    with pytest.raises(limits.LimitError, match="more than 100 columns"):
        limits.xlsx_check_stream(io.BytesIO(wide))
    small = limits.Limits(
        rows=10,
        columns=10,
        uncompressed_bytes=10**9,
        ratio=10**9,
        members=99,
        shared_strings=1000,
        cells=100,
    )
    with pytest.raises(limits.LimitError, match="more than 1000 different texts"):
        limits.xlsx_check_stream(io.BytesIO(texts), small)


def test_two_far_apart_cells_spanning_too_many_cells_are_refused():
    # given: a header 90 columns wide and one cell on row 20,000: 1.8 million cells to fill
    def rows():
        yield '<row r="1"><c r="CL1" t="inlineStr"><is><t>x</t></is></c></row>'
        yield '<row r="20000"><c r="A20000" t="inlineStr"><is><t>y</t></is></c></row>'

    content = bombs.package(bombs._sheet(rows(), None))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    assert (sheet.height, sheet.width) == (20000, 90)  # what a reader would build

    with pytest.raises(limits.LimitError, match="spans more than 1000000 cells"):
        limits.xlsx_check_stream(io.BytesIO(content))


def test_too_many_parts_or_bytes_unpacked_are_refused(api, manager, org, settings):
    settings.IMPORTS_XLSX_MAX_MEMBERS = 5
    parts = _upload(api, manager, bombs.wide_header(10), "parts.xlsx")
    settings.IMPORTS_XLSX_MAX_MEMBERS = 500
    settings.IMPORTS_XLSX_MAX_UNCOMPRESSED_BYTES = 1024
    size = _upload(api, manager, bombs.wide_header(10), "size.xlsx")

    assert (parts.status_code, size.status_code) == (400, 400)
    assert "too many parts (6)" in str(parts.json())
    assert "more than 0 MB" in str(size.json())
    assert ImportRun.objects.count() == 0


def test_something_that_is_not_a_zip_is_refused_as_unreadable(api, manager, org, settings):
    response = _upload(api, manager, b"not a zip at all", "fake.xlsx")

    assert response.status_code == 400
    assert "not a readable XLSX file" in str(response.json())
    assert ImportRun.objects.count() == 0
    assert _stored_files(settings) == []


# -- CSV -----------------------------------------------------------------------------------


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


HEADER = "name_zh,uscc,province"


def test_a_too_long_csv_field_is_an_error_of_its_row_and_the_limit_is_put_back(api, manager, org):
    # given: row 3 has a 200,000-character name between two good rows
    limit_before = csv.field_size_limit()
    content = _csv(
        HEADER,
        f"甲公司,{valid_uscc(1)},粤",
        f'"{"长" * 200_000}",{valid_uscc(2)},粤',
        f"乙公司,{valid_uscc(3)},粤",
    )

    # when
    response = _upload(api, manager, content, "long.csv")

    # then
    assert response.status_code == 202
    run = ImportRun.objects.get(pk=response.json()["id"])
    assert run.status == ImportStatus.INVALID
    assert [(e["row"], e["reason"]) for e in run.errors] == [
        (3, "A cell holds more than 10000 characters.")
    ]
    assert run.row_count == 2  # the two readable rows were checked
    assert Operator.objects.count() == 0
    assert csv.field_size_limit() == limit_before


def test_a_csv_row_with_too_many_columns_is_an_error_of_that_row(api, manager, org, settings):
    settings.IMPORTS_MAX_COLUMNS = 5
    content = _csv(HEADER, f"甲公司,{valid_uscc(1)},粤", "a,b,c,d,e,f,g", f"乙,{valid_uscc(3)},粤")

    response = _upload(api, manager, content, "wide.csv")

    run = ImportRun.objects.get(pk=response.json()["id"])
    assert run.status == ImportStatus.INVALID
    assert [(e["row"], e["reason"]) for e in run.errors] == [
        (3, "This row has more than 5 columns.")
    ]


def test_a_csv_with_more_rows_than_allowed_stops_reading_at_the_limit(monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    content = _csv(HEADER, *[f"公司{i},{valid_uscc(i)},粤" for i in range(1, 100_000)])

    with pytest.raises(reader.FileError, match="At most 3 rows"):
        reader.read_file(content, "many.csv")


def test_a_line_csv_cannot_read_is_an_error_of_its_row(api, manager, org):
    # a carriage return alone inside an unquoted field: csv raises on that line only
    content = _csv(HEADER, f"甲公司,{valid_uscc(1)},粤", f"乙公司\r丙,{valid_uscc(2)},粤")

    response = _upload(api, manager, content, "cr.csv")

    assert response.status_code == 202
    run = ImportRun.objects.get(pk=response.json()["id"])
    assert (run.status, run.error) == (ImportStatus.INVALID, "")  # not FAILED: no _csv.Error
    assert [(e["row"], e["field"]) for e in run.errors] == [(3, "")]
    assert "cannot be read as CSV" in run.errors[0]["reason"]
    assert Operator.objects.count() == 0


def test_a_csv_in_no_known_encoding_is_refused_as_a_whole_with_a_message(api, manager, org):
    content = HEADER.encode() + b"\n\xff\xfe\xfd,91440300MA5FK8Q3RW,\xff\n"

    response = _upload(api, manager, content, "binary.csv")

    run = ImportRun.objects.get(pk=response.json()["id"])
    assert (run.status, run.error) == (
        ImportStatus.INVALID,
        "The CSV file is neither UTF-8 nor GB18030 text.",
    )
    assert not run.errors


def test_the_run_page_shows_a_file_level_refusal(client, manager, org):
    client.force_login(manager)
    client.post("/reports/imports/", {"file": SimpleUploadedFile("b.csv", b"name_zh\n\xff\xff\n")})
    run = ImportRun.objects.get()

    page = client.get(f"/reports/imports/{run.pk}/").content.decode()

    assert 'data-testid="import-file-error"' in page
    assert "neither UTF-8 nor GB18030" in page
