"""Shared start-up for the benchmark scripts (run as `python bench/<name>.py`)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# The synthetic portfolio (bench/portfolio.py): its organization, users' password and size.
ORG_SLUG = "bench-agency"
PASSWORD = "bench-pass-2024"  # noqa: S105 - printed on purpose, benchmark data only
PER_SCALE = {"operators": 5_000, "miniprograms": 54_000, "domains": 46_000, "filings": 200_000}


def setup() -> None:
    """Make the project importable and start Django with a throwaway media folder."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icpfiling.settings.local")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="icp-bench-"))
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()


class QueryCounter:
    """Counts SQL statements through connection.execute_wrapper (no list of queries kept)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def database_url(name: str) -> str:
    """DATABASE_URL (default: the local server) with its database name replaced by `name`."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/icp_bench")
    return base.rsplit("/", 1)[0] + "/" + name


def use_database(name: str, *, recreate: bool = False) -> None:
    """Point DATABASE_URL at scratch database `name` (before setup()); create it if missing,
    drop it first if `recreate`. Refuses names that do not start with icp_bench."""
    if not name.startswith("icp_bench"):
        raise SystemExit(f"refusing to use {name!r}: scratch databases are named icp_bench*")
    import psycopg2  # type: ignore[import-untyped]

    url = database_url(name)
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        if recreate:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    os.environ["DATABASE_URL"] = url


def has_portfolio(database: str, scale: float) -> bool:
    """Whether `database` holds the synthetic agency at `scale` (operators counted)."""
    import psycopg2

    try:
        conn = psycopg2.connect(database_url(database))
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM miniprograms_operator o JOIN accounts_organization g "
                "ON g.id = o.organization_id WHERE g.slug = %s",
                [ORG_SLUG],
            )
            return cursor.fetchone()[0] == max(1, round(PER_SCALE["operators"] * scale))
    except psycopg2.Error:
        return False
    finally:
        conn.close()
