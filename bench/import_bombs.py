"""Benchmark: three hostile XLSX files against each way of reading them.

    .venv/bin/python bench/import_bombs.py            # the checks, openpyxl, and calamine
    .venv/bin/python bench/import_bombs.py --quick    # without calamine's full read (slow)

The files (tests/imports/bombs.py): 2,000,000 empty rows declared in the sheet's <dimension>
(19 KB), the same rows each with one empty cell (0.3 MB), 3,000,000 shared strings
(0.2 MB) and a header of 1,000,000 columns (0.1 MB). Each is read in a fresh child process:

- `directory`: imports.limits.xlsx_check_directory, what the web request runs (the zip's
  directory, the first 4 KB of each sheet and of the shared strings);
- `stream`: imports.limits.xlsx_check_stream with the directory checks passed (ratio and
  declared counts out of the way), what the worker runs before calamine: expat counting;
- `openpyxl`: openpyxl read-only, iterating rows and stopping at the row or column limit;
- `calamine`: what main did, calamine's `to_python` of the sheet (no limit until the end).

Printed per case: wall seconds, CPU seconds, the peak of Python allocations (tracemalloc)
and the growth of the process's peak resident memory (ru_maxrss, which also sees Rust's and
zlib's allocations), whether the file was refused and the message.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from _common import setup  # the bench folder is on sys.path

CASES = ("empty_rows", "empty_cells", "shared_strings", "wide_header")
METHODS = ("directory", "stream", "openpyxl", "calamine")


def _build(case: str) -> bytes:
    from tests.imports import bombs

    if case == "empty_rows":
        return bombs.empty_rows(2_000_000, dimension=True)
    if case == "empty_cells":
        return bombs.empty_rows(2_000_000, dimension=True, cells=True)
    if case == "shared_strings":
        return bombs.shared_strings(3_000_000, count=False)
    return bombs.wide_header(1_000_000)


def _openpyxl(content: bytes) -> str:
    from openpyxl import load_workbook

    from imports.limits import limits

    lim = limits()
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if n > lim.rows:
                    return "refused: too many rows"
                if len(row) > lim.columns:
                    return "refused: too many columns"
    finally:
        wb.close()
    return "read"


def _calamine(content: bytes) -> str:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
    rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    return f"read {len(rows)} rows"


def _run(case: str, method: str) -> dict:
    from django.conf import settings

    from imports import limits

    content = _build(case)
    if method == "stream":  # the directory checks passed: only the streaming count is left
        settings.IMPORTS_XLSX_MAX_RATIO = 10**9
        settings.IMPORTS_XLSX_MAX_UNCOMPRESSED_BYTES = 10**12
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        if method == "directory":
            limits.xlsx_check_directory(io.BytesIO(content))
            outcome = "passed"
        elif method == "stream":
            limits.xlsx_check_stream(io.BytesIO(content))
            outcome = "passed"
        elif method == "openpyxl":
            outcome = _openpyxl(content)
        else:
            outcome = _calamine(content)
    except limits.LimitError as exc:
        outcome = f"refused: {exc}"
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    _, peak = tracemalloc.get_traced_memory()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "case": case,
        "method": method,
        "bytes": len(content),
        "seconds": round(seconds, 3),
        "cpu": round(cpu, 3),
        "python_peak_mb": round(peak / 1e6, 1),
        "rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
        "outcome": outcome,
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icpfiling.settings.test")
        setup()
        print(json.dumps(_run(sys.argv[2], sys.argv[3])))
        return
    methods = METHODS[:3] if "--quick" in sys.argv else METHODS
    print(f"{'case':<15} {'method':<10} {'KB':>6} {'s':>7} {'CPU s':>7} {'py MB':>6} {'RSS MB':>7}")
    for case in CASES:
        for method in methods:
            out = subprocess.run(  # noqa: S603 - this script, with fixed arguments
                [sys.executable, __file__, "--child", case, method],
                capture_output=True,
                text=True,
                check=True,
                cwd=Path(__file__).resolve().parent.parent,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{r['case']:<15} {r['method']:<10} {r['bytes'] / 1024:>6.0f} {r['seconds']:>7.3f} "
                f"{r['cpu']:>7.3f} {r['python_peak_mb']:>6.1f} {r['rss_growth_mb']:>7.1f}  "
                f"{r['outcome']}"
            )


if __name__ == "__main__":
    main()
