"""Benchmark: compliance_items over 1k, 10k and 100k operators (set-based: fixed queries).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/icp_bench
    .venv/bin/python bench/compliance_sweep.py

Uses icpfiling.settings.test against DATABASE_URL (NOT a test database: rows are kept, so a
re-run only adds what is missing). Builds each size with `seed_demo --scale N` (bulk_create:
N operators, each with one mini-program, one domain and one responsible person), approves
every third mini-program through a bulk-created application + status change (so the
"filed as of" subqueries have history to read), runs ANALYZE, then times compliance_items
(cold: first call in the process; warm: second) and summarize.
Pass sizes as arguments to override the default 1000 10000 100000.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icpfiling.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organization  # noqa: E402
from compliance.engine import compliance_items, summarize  # noqa: E402
from filings.models import (  # noqa: E402
    FilingApplication,
    FilingChannel,
    FilingKind,
    FilingStatus,
    FilingStatusChange,
)
from miniprograms.models import Domain, MiniProgram, Operator, ResponsiblePerson  # noqa: E402

SIZES = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
AS_OF = datetime.date(2024, 4, 15)


def approve_every_third(org: Organization) -> int:
    todo = list(
        MiniProgram.objects.filter(organization=org, filings__isnull=True)
        .order_by("pk")
        .values_list("pk", "operator_id")
    )[::3]
    when = timezone.now() - datetime.timedelta(days=900)
    for start in range(0, len(todo), 5000):
        chunk = todo[start : start + 5000]
        filings = FilingApplication.objects.bulk_create(
            [
                FilingApplication(
                    organization=org,
                    operator_id=op_id,
                    miniprogram_id=mp_id,
                    kind=FilingKind.NEW_FILING,
                    channel=FilingChannel.WECHAT,
                    status=FilingStatus.APPROVED,
                    status_entered_at=when,
                )
                for mp_id, op_id in chunk
            ]
        )
        FilingStatusChange.objects.bulk_create(
            [
                FilingStatusChange(
                    filing=f,
                    from_status=FilingStatus.AUTHORITY_REVIEW,
                    to_status=FilingStatus.APPROVED,
                    created_at=when,
                )
                for f in filings
            ]
        )
    return len(todo)


def measure(operators) -> tuple[float, int, int, float]:
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        items = compliance_items(as_of=AS_OF, operators=operators)
        elapsed = time.perf_counter() - started
    started = time.perf_counter()
    summarize(items, as_of=AS_OF)
    return elapsed, len(ctx.captured_queries), len(items), time.perf_counter() - started


def main() -> None:
    print(f"database: {connection.settings_dict['NAME']}  as_of: {AS_OF}")
    call_command("migrate", verbosity=0)
    print(
        f"{'operators':>9} {'mini-progs':>10} {'domains':>8} {'people':>7} {'build s':>8} "
        f"{'items':>8} {'queries':>7} {'engine s':>9} {'warm s':>7} {'summary s':>9}"
    )
    for size in SIZES:
        started = time.perf_counter()
        call_command("seed_demo", scale=size, quiet=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        org = Organization.objects.get(slug="scale-agency")
        approve_every_third(org)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
        build = time.perf_counter() - started
        # The first `size` generated operators, so that a re-run on a bigger database still
        # measures each size.
        last_pk = (
            Operator.objects.filter(organization=org).order_by("pk").values_list("pk", flat=True)
        )[size - 1]
        operators = Operator.objects.filter(organization=org, pk__lte=last_pk)
        cold, queries, n_items, _ = measure(operators)
        warm, queries_warm, _, summary = measure(operators)
        assert queries == queries_warm
        mps = MiniProgram.objects.filter(operator__in=operators).count()
        domains = Domain.objects.filter(operator__in=operators).count()
        people = ResponsiblePerson.objects.filter(operator__in=operators).count()
        print(
            f"{operators.count():>9} {mps:>10} {domains:>8} {people:>7} {build:>8.1f} "
            f"{n_items:>8} {queries:>7} {cold:>9.2f} {warm:>7.2f} {summary:>9.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
