"""Page benchmark over the synthetic portfolio: queries, time and memory against a reference.

    .venv/bin/python bench/pages.py --scales 0.1,0.3,1.0 [--regenerate] [--runs 5]

Each scale uses its own scratch database (icp_bench_10, icp_bench_30, icp_bench_100), generated
by bench/portfolio.py when it is missing (or with --regenerate), and is measured in a child
process (`--measure`, one database per process). For every page or call: one untimed warm-up
(which also checks the status; a non-200 page is reported, not timed), then `--runs` timed runs
interleaved with its reference (page, reference, page, reference …), then one run of each under
tracemalloc for the peak of Python allocations during the call ("peak MB"; tracemalloc slows
the call, so it is not one of the timed runs). SQL statements are counted with an
execute_wrapper on the last timed run. Settings: icpfiling.settings.local with DEBUG off.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import math
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    ORG_SLUG,
    QueryCounter,
    has_portfolio,
    setup,
    use_database,
)
from bench._tables import growth, table

SETTINGS = "icpfiling.settings.local"
HERE = Path(__file__).resolve()


def database_for(scale: float) -> str:
    """The scratch database of a scale; BENCH_DATABASE_SUFFIX keeps a branch's own copy."""
    return f"icp_bench_{round(scale * 100)}{os.environ.get('BENCH_DATABASE_SUFFIX', '')}"


# --- measuring (child process) ---------------------------------------------------------------


class Call:
    """A page or call: `run()` returns an HTTP-like status and the bytes (or rows) it read."""

    def __init__(self, run: Callable[[], tuple[int, int]]) -> None:
        self.run = run

    def timed(self) -> tuple[float, int, int]:
        from django.db import connection

        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            status, _ = self.run()
            elapsed = time.perf_counter() - started
        return elapsed, counter.count, status

    def peak_mb(self) -> float:
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            self.run()
            return (tracemalloc.get_traced_memory()[1] - base) / 2**20
        finally:
            tracemalloc.stop()


def _http(client, url: str) -> Callable[[], tuple[int, int]]:
    def run() -> tuple[int, int]:
        response = client.get(url)
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        return response.status_code, size

    return run


def _ok(fn: Callable[[], Any]) -> Callable[[], tuple[int, int]]:
    def run() -> tuple[int, int]:
        result = fn()
        return 200, int(result) if isinstance(result, int) else 0

    return run


def measure_pair(
    name: str, page: Call, reference: Call, ref_name: str, runs: int, budget: float
) -> dict:
    row: dict[str, Any] = {"page": name, "reference": ref_name}
    started = time.perf_counter()
    status, _ = page.run()  # warm-up, and the status check
    warm = time.perf_counter() - started
    ref_status, _ = reference.run()
    row["status"], row["ref_status"] = status, ref_status
    if status != 200:
        return row
    slow = warm > budget
    if slow:  # one timed run and no traced run: a call over budget would take the whole session
        runs = 1
    row["runs"] = runs
    times, ref_times = [], []
    for _ in range(runs):
        elapsed, row["queries"], _ = page.timed()
        times.append(elapsed)
        if ref_status == 200:
            elapsed, row["ref_queries"], _ = reference.timed()
            ref_times.append(elapsed)
    row["ms"] = statistics.median(times) * 1000
    row["mb"] = None if slow else page.peak_mb()
    if ref_times:
        row["ref_ms"] = statistics.median(ref_times) * 1000
        row["ref_mb"] = None if slow else reference.peak_mb()
    return row


def measure(runs: int, budget: float, skip: list[str]) -> dict:
    """Every page of the brief against its reference, on the current database."""
    from django.contrib import admin
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from accounts.models import Membership, Organization, User
    from bench import _references as ref
    from dashboard.views.common import PAGE_SIZE
    from miniprograms.models import Domain, Operator
    from miniprograms.selectors import domain_list_for_user
    from miniprograms.services import domain_update

    org = Organization.objects.get(slug=ORG_SLUG)
    users = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    manager, editor, su = clients["bench-manager"], clients["bench-editor"], clients["bench-admin"]
    # The admin reference lists the same page size as the dashboard.
    setattr(admin.site._registry[Operator], "list_per_page", PAGE_SIZE)  # noqa: B010 - ClassVar
    today = timezone.localdate()
    n_ops = Operator.objects.filter(organization=org).count()
    later = max(1, math.ceil(n_ops / PAGE_SIZE) // 2)
    largest = (
        Operator.objects.filter(organization=org)
        .annotate(n=Count("miniprograms", distinct=True) + Count("domains", distinct=True))
        .order_by("-n", "pk")
        .values_list("pk", "n")
        .first()
    )
    assert largest is not None
    limited = Membership.objects.get(user=users["bench-editor"], organization=org)
    editor_ids = ",".join(
        str(pk) for pk in limited.operators.order_by("pk").values_list("pk", flat=True)
    )
    domain = (
        Domain.objects.filter(organization=org, expires_on__isnull=False).order_by("pk").first()
    )
    assert domain is not None
    assert domain.expires_on is not None
    dates: list[datetime.date] = [
        domain.expires_on,
        domain.expires_on + datetime.timedelta(days=365),
    ]
    flip = {"service": 0, "sql": 0}

    def edit_through_service() -> int:
        flip["service"] += 1
        with transaction.atomic():
            d = domain_list_for_user(user=users["bench-manager"]).get(pk=domain.pk)
            domain_update(
                user=users["bench-manager"], domain=d, expires_on=dates[flip["service"] % 2]
            )
        return 1

    def edit_sql() -> int:
        flip["sql"] += 1
        return ref.domain_update_sql(domain_id=domain.pk, expires_on=dates[flip["sql"] % 2])

    def sweep() -> int:
        out = io.StringIO()
        call_command("run_compliance_sweep", as_of=today.isoformat(), dry_run=True, stdout=out)
        return len(out.getvalue())

    def aggregates(as_of: datetime.date) -> Call:
        return Call(_ok(lambda: ref.aggregates_sql(org_id=org.pk, as_of=as_of)))

    admin_list = "/admin/miniprograms/operator/"
    item_admin = "/admin/compliance/complianceitem/"
    sql_ref = "raw SQL aggregates"
    pairs = [
        ("overview /", Call(_http(manager, "/")), aggregates(today), sql_ref),
        (
            "overview /?as_of=2024-03-01",
            Call(_http(manager, "/?as_of=2024-03-01")),
            aggregates(datetime.date(2024, 3, 1)),
            sql_ref,
        ),
        (
            "portfolio p.1",
            Call(_http(manager, "/portfolio/")),
            Call(_http(su, admin_list)),
            "admin list p.1",
        ),
        (
            f"portfolio p.{later}",
            Call(_http(manager, f"/portfolio/?page={later}")),
            Call(_http(su, f"{admin_list}?p={later}")),
            f"admin list p.{later}",
        ),
        (
            "portfolio 200 per page",
            Call(_http(manager, "/portfolio/?page_size=200")),
            Call(_http(su, admin_list)),
            "admin list p.1",
        ),
        (
            "portfolio search by pinyin (guangdong), by name",
            Call(_http(manager, "/portfolio/?q=guangdong&sort=name")),
            Call(_http(su, f"{admin_list}?q=广东")),
            "admin search 广东",
        ),
        (
            "portfolio, staff=none",
            Call(_http(manager, "/portfolio/?staff=none")),
            Call(_http(su, admin_list)),
            "admin list p.1",
        ),
        (
            "portfolio CSV export (every client)",
            Call(_http(manager, "/portfolio/export.csv")),
            Call(_http(manager, "/reports/export/operators.csv")),
            "operators CSV export",
        ),
        (
            "operators p.1 (manager)",
            Call(_http(manager, "/operators/")),
            Call(_http(su, admin_list)),
            "admin list p.1",
        ),
        (
            "operators p.1 (editor, 200 clients)",
            Call(_http(editor, "/operators/")),
            Call(_http(su, f"{admin_list}?id__in={editor_ids}")),
            "admin list of the 200",
        ),
        (
            "API compliance ?as_of=today",
            Call(_http(manager, f"/api/v1/compliance/?as_of={today.isoformat()}")),
            aggregates(today),
            sql_ref,
        ),
        (
            "API compliance/operators",
            Call(_http(manager, "/api/v1/compliance/operators/")),
            aggregates(today),
            sql_ref,
        ),
        (
            "filings CSV export",
            Call(_http(manager, "/reports/export/filings.csv")),
            Call(_ok(lambda: ref.filings_copy(org_id=org.pk))),
            "COPY (SELECT same columns); 1 statement, not seen by the counter",
        ),
        (
            f"operator detail ({largest[1]} services)",
            Call(_http(manager, f"/operators/{largest[0]}/")),
            Call(_http(su, f"{admin_list}{largest[0]}/change/")),
            "admin change page",
        ),
        (
            "worklist /work/ (manager)",
            Call(_http(manager, "/work/")),
            Call(_http(su, item_admin)),
            "admin item list p.1",
        ),
        (
            "worklist /work/?owner=me (editor, 200 clients)",
            Call(_http(editor, "/work/?owner=me")),
            Call(_http(su, item_admin)),
            "admin item list p.1",
        ),
        (
            "API compliance/items",
            Call(_http(manager, "/api/v1/compliance/items/")),
            Call(_http(su, item_admin)),
            "admin item list p.1",
        ),
        (
            "worklist CSV export",
            Call(_http(manager, "/reports/export/worklist.csv")),
            aggregates(today),
            sql_ref,
        ),
        ("run_compliance_sweep --dry-run", Call(_ok(sweep)), aggregates(today), sql_ref),
        (
            "domain expiry edit (service)",
            Call(_ok(edit_through_service)),
            Call(_ok(edit_sql)),
            "bare UPDATE",
        ),
    ]
    rows = []
    for name, page, reference, ref_name in pairs:
        if any(word in name for word in skip):
            rows.append({"page": name, "reference": ref_name, "status": "skipped"})
            continue
        started = time.perf_counter()
        rows.append(measure_pair(name, page, reference, ref_name, runs, budget))
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return {"operators": n_ops, "rows": rows}


# --- orchestration (parent process) ---------------------------------------------------------


def run_scale(scale: float, *, regenerate: bool, runs: int, budget: float, skip: list[str]) -> dict:
    database = database_for(scale)
    if regenerate or not has_portfolio(database, scale):
        portfolio = HERE.parent / "portfolio.py"
        cmd = [sys.executable, str(portfolio), "--scale", str(scale), "--database", database]
        subprocess.run([*cmd, "--recreate"], check=True)  # noqa: S603 - our own script
    print(f"measuring {database} …", file=sys.stderr, flush=True)
    cmd = [sys.executable, str(HERE), "--measure", "--database", database, "--runs", str(runs)]
    cmd += ["--budget", str(budget), *(f"--skip={word}" for word in skip)]
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)  # noqa: S603
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["scale"] = scale
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.1", help="comma-separated, e.g. 0.1,0.3,1.0")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="seconds: a call whose warm-up takes longer is timed once and not traced",
    )
    parser.add_argument(
        "--skip", action="append", default=[], help="skip the calls whose name contains this"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DJANGO_DEBUG"] = "false"
    if args.measure:
        use_database(args.database)
        setup()
        print(json.dumps(measure(args.runs, args.budget, args.skip), default=str))
        return
    results = [
        run_scale(
            float(s), regenerate=args.regenerate, runs=args.runs, budget=args.budget, skip=args.skip
        )
        for s in args.scales.split(",")
    ]
    print(f"Page benchmark, {datetime.date.today()}, median of {args.runs} runs\n")  # noqa: DTZ011
    for result in results:
        print(table(result) + "\n")
    if len(results) > 1:
        print(growth(results[0], results[-1]))


if __name__ == "__main__":
    main()
