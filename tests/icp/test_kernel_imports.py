"""The kernel imports and runs with no Django settings, and pulls in no ORM, settings or app."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import icp

ROOT = Path(__file__).resolve().parents[2]
KERNEL_MODULES = sorted(f"icp.{m.name}" for m in pkgutil.iter_modules(icp.__path__))
# Our own top-level packages that are not the kernel: every Django app and the project package.
PROJECT_PACKAGES = sorted(
    p.name for p in ROOT.iterdir() if (p / "apps.py").is_file() or (p / "settings").is_dir()
)

SCRIPT = """
import datetime, json, sys
import {modules}
from icp.checklist import requirements_for
from icp.ladders import DEFAULT_LADDER, current_step
from icp.workdays import WorkdayCalendar
from icp.workflow import allowed_targets

# A few calls, to show the rules also run without settings.
allowed_targets("draft", kind="new_filing", channel="wechat")
WorkdayCalendar().add_working_days(datetime.date(2024, 9, 30), 20)
day = datetime.date(2024, 3, 31)
current_step(due_date=day, as_of=day, ladder=DEFAULT_LADDER)
requirements_for(entity_type="4", services=[], preapprovals=[])
print(json.dumps(sorted(sys.modules)))
"""


def _run_without_settings() -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = SCRIPT.format(modules=", ".join(KERNEL_MODULES))
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_the_kernel_has_the_expected_modules():
    expected = {"icp.channels", "icp.checklist", "icp.identifiers", "icp.ladders"}
    expected |= {"icp.provinces", "icp.types", "icp.workdays", "icp.workflow"}
    assert expected <= set(KERNEL_MODULES)
    assert {"accounts", "filings", "icpfiling", "miniprograms"} <= set(PROJECT_PACKAGES)


def test_kernel_imports_without_settings_and_without_orm_settings_or_apps():
    result = _run_without_settings()

    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert set(KERNEL_MODULES) <= loaded
    assert not {m for m in loaded if m == "django.db" or m.startswith("django.db.")}
    assert "django.conf" not in loaded  # so settings were never read either
    ours = {m for m in loaded if m.split(".")[0] in PROJECT_PACKAGES}
    assert ours == set()
