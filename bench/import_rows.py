"""Benchmark: preview and commit of a 10,000-row XLSX import, then the same file again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/icp_imports_bench \
        .venv/bin/python bench/import_rows.py

2,000 operators, each with one mini-program, one domain and two responsible persons
(2,000 + 2,000 + 2,000 + 4,000 rows), checked with the register services' rules and written
in bulk into a fresh organization. Everything runs inside one outer transaction that is
rolled back at the end, so the database is left as it was. Prints, per step, the wall and CPU
seconds of this process (the rest of the wall time is PostgreSQL's, or waiting for a CPU on
a busy machine) and the queries per row, which must stay well under 0.1.
"""

from __future__ import annotations

import io
import time

from _common import QueryCounter, setup  # the bench folder is on sys.path

setup()

from django.db import connection, transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.models import Membership, Organization, Role, User  # noqa: E402
from imports import services as import_services  # noqa: E402
from imports.models import ImportRun  # noqa: E402
from tests.imports.helpers import portfolio_sheets  # noqa: E402

OPERATORS = 2000


def build_xlsx() -> tuple[bytes, int]:
    sheets = portfolio_sheets(OPERATORS, start=800_000)
    wb = Workbook(write_only=True)
    rows = 0
    for title, table in sheets.items():
        ws = wb.create_sheet(title)
        for row in table:
            ws.append(row)
        rows += len(table) - 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), rows


def timed(label: str, fn, rows: int):
    counter = QueryCounter()
    start, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        result = fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{label}: {seconds:.2f} s wall ({cpu:.2f} s CPU here), {counter.count} queries "
        f"({counter.count / rows:.4f} per row)"
    )
    return result


class Rollback(Exception):  # noqa: N818
    pass


def main() -> None:
    content, rows = build_xlsx()
    print(f"file: {rows} rows, {len(content) / 1e6:.2f} MB")
    try:
        with transaction.atomic():
            org = Organization.objects.create(name="导入基准", slug="bench-import", kind="agency")
            user = User.objects.create(username="bench_import_manager")
            Membership.objects.create(user=user, organization=org, role=Role.MANAGER)
            # The worker's part done at once: measure the work, not the queue.
            steps = {
                import_services.PREVIEW_TASK: import_services.import_run_preview,
                import_services.COMMIT_TASK: import_services.import_run_commit,
            }

            def run_now(task: str, run_ids: list[int]) -> None:
                for run_id in run_ids:
                    steps[task](run_id=run_id)

            import_services.enqueue = run_now
            run = timed(
                "preview (upload + validate every row, rolled back)",
                lambda: import_services.import_run_create(
                    user=user, content=content, filename="bench.xlsx", organization_id=org.pk
                ),
                rows,
            )
            assert run.status == "valid", run.errors[:3]
            run = timed(
                "commit (all rows in one transaction)",
                lambda: import_services.import_run_commit_request(user=user, run=run),
                rows,
            )
            assert run.status == "committed", run.errors[:3]
            print("summary:", run.summary)
            again = timed(
                "re-import preview of the same file",
                lambda: import_services.import_run_create(
                    user=user, content=content, filename="bench.xlsx", organization_id=org.pk
                ),
                rows,
            )
            again = timed(
                "re-import commit (no change expected)",
                lambda: import_services.import_run_commit_request(user=user, run=again),
                rows,
            )
            summary = ImportRun.objects.get(pk=again.pk).summary
            print("re-import summary:", summary)
            assert all(c["create"] == c["update"] == 0 for c in summary.values()), summary
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
