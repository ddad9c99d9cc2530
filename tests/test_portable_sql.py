"""The app runs on SQLite (the embedded default) as well as PostgreSQL: no query the pages
make may need a PostgreSQL-only feature such as DISTINCT ON (``.distinct("field")``)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    p
    for p in ROOT.iterdir()
    if (p.is_dir() and (p / "apps.py").exists()) or p.name in {"core", "icpfiling"}
]
DISTINCT_ON = re.compile(r"\.distinct\(\s*[\"']")


def test_the_walk_finds_the_apps():
    names = {p.name for p in APPS}
    assert {"monitoring", "compliance", "dashboard"} <= names


def test_no_distinct_on_fields():
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for app in APPS
        for path in app.rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DISTINCT_ON.search(line)
    ]
    assert found == []
