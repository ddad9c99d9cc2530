"""The sign-in page of a local demo says who to sign in as; nowhere else does it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from demo.common import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_login_page_lists_the_demo_users_when_the_hint_is_on(client, settings):
    settings.DEMO_LOGIN_HINT = True

    page = client.get("/accounts/login/").content.decode()

    assert 'data-testid="demo-login-hint"' in page
    assert f"<code>{DEMO_PASSWORD}</code>" in page
    for username in ("agency_manager", "agency_staff", "client_officer", "rival_manager"):
        assert f"<code>{username}</code>" in page


@pytest.mark.django_db
def test_login_page_has_no_demo_hint_by_default(client, settings):
    settings.DEMO_LOGIN_HINT = False

    page = client.get("/accounts/login/").content.decode()

    assert "demo-login-hint" not in page
    assert DEMO_PASSWORD not in page


@pytest.mark.parametrize(("module", "expected"), [("local", True), ("test", False)])
def test_only_the_local_settings_turn_the_hint_on(module, expected):
    code = (
        "import importlib, os; os.environ.pop('DJANGO_DEMO_LOGIN_HINT', None); "
        f"print(importlib.import_module('icpfiling.settings.{module}').DEMO_LOGIN_HINT)"
    )
    out = subprocess.run(  # noqa: S603 - a fixed interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(expected)


def test_demo_script_says_each_step_and_where_the_worker_log_is():
    script = (ROOT / "scripts" / "demo").read_text(encoding="utf-8")

    steps = [line for line in script.splitlines() if line.strip().startswith("step ")]
    assert len(steps) >= 6
    text = "\n".join(steps)
    for what in ("Installing", "Migrating", "Seeding", "worker", "var/log/celery.log", "Serving"):
        assert what in text
    assert "${addr}" in steps[-1]
