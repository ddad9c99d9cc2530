"""Shared start-up for the benchmark scripts (run as `python bench/<name>.py`)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


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
