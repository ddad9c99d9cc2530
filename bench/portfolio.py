"""Synthetic agency portfolio for page benchmarks: `generate(scale, seed)` or the CLI.

    .venv/bin/python bench/portfolio.py --scale 0.1 --database icp_bench_10 --recreate

Scale 1.0 is one agency with 5,000 client operators, 100,000 services (54,000 mini-programs
and apps, 46,000 domains) and 200,000 filing applications with their status history; 0.1
and 0.3 give 10 % and 30 % of every count. See bench/README.md for what is in it.

Deterministic for a given seed and anchor day (dates are spread around the anchor, today by
default, so that every rule has due-soon, overdue and compliant items on that day); only the
Fernet ciphertexts of the ID numbers differ between runs (Fernet salts every encryption).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import setup, use_database

SETTINGS = "icpfiling.settings.local"


def generate(
    scale: float = 1.0,
    seed: int = 2024,
    *,
    anchor: datetime.date | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Generate the portfolio into the current database (Django must be set up, migrated,
    and the bench organization absent). Returns the number of rows written per model."""
    from django.db import connection
    from django.utils import timezone

    from bench._load import load
    from bench._portfolio import Generator

    started = time.perf_counter()
    gen = Generator(scale, seed, anchor or timezone.localdate())
    clients = gen.plan()
    log(f"  planned {len(clients)} operators in {time.perf_counter() - started:.1f} s")
    counts = load(gen, clients, log)
    log(f"  written in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the engine's queries need statistics to plan well
    _reconcile(log)
    # As autovacuum would after a bulk load: statistics of the compliance rows too, and the
    # visibility map and hint bits, without which the first reads of every page pay for them.
    if connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return counts


def _reconcile(log: Callable[[str], None]) -> None:
    """Build the maintained compliance rows (the nightly reconcile, run once here)."""
    from compliance import tracking

    started = time.perf_counter()
    result = tracking.reconcile(report=False)
    log(
        f"  compliance rows: {result.created} items for {result.operators} operators "
        f"in {time.perf_counter() - started:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--anchor", help="YYYY-MM-DD the dates are spread around (default today)")
    parser.add_argument("--database", help="scratch database icp_bench_* (created if missing)")
    parser.add_argument("--recreate", action="store_true", help="drop the database first")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.setdefault("DJANGO_DEBUG", "false")
    if args.database:
        use_database(args.database, recreate=args.recreate)
    setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    elapsed = time.perf_counter() - started
    print(f"database {connection.settings_dict['NAME']}: migrated in {elapsed:.1f} s")
    started = time.perf_counter()
    anchor = datetime.date.fromisoformat(args.anchor) if args.anchor else None
    counts = generate(args.scale, args.seed, anchor=anchor)
    elapsed = time.perf_counter() - started
    for label, n in counts.items():
        print(f"  {label:<32} {n:>9,}")
    print(f"scale {args.scale}: generated in {elapsed:.1f} s (incl. ANALYZE)")


if __name__ == "__main__":
    main()
