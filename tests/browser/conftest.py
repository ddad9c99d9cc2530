"""Playwright against Debian's Chromium (never `playwright install`), with a live server.

Sync Playwright runs an event loop in the test thread, so Django's async-safety check would
refuse the ORM calls of the test itself; the browser tests opt out of it (setup-notes.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DEMO_PASSWORD = "demo-pass-2024"  # seed_demo's published demo password


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-US"}


@pytest.fixture(scope="session", autouse=True)
def _serialized_db_in_playwright_context(request, django_db_setup, django_db_blocker):
    """Keep serialized_rollback working once Playwright's event loop runs in this thread.

    Django's connections live in an asgiref Local that switches to per-context storage while
    an event loop is running, so the tests get a fresh DatabaseWrapper without the snapshot
    taken at test-database creation. Without it, the flush after the first browser test
    would leave every later transactional test without provinces, TLDs or content types.
    """
    from django.db import connections

    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    request.getfixturevalue("playwright")
    for alias, contents in snapshots.items():
        if contents is not None:
            # Django's test database creation sets this attribute at run time; the stubs lack it.
            connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]


@pytest.fixture
def demo(db):
    """seed_demo's portfolio (agency_manager, agency_staff, client_officer, rival_manager…)."""
    call_command("seed_demo", "--quiet")


@pytest.fixture
def shot(page):
    """`shot("name")` saves a full-page screenshot to artifacts/screenshots/name.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page, live_server):
    """`login("agency_manager")` signs in through the real login form."""

    def do(username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill('input[name="login"]', username)
        page.fill('input[name="password"]', password)
        page.locator('form:has(input[name="password"]) [type="submit"]').click()
        page.wait_for_load_state("domcontentloaded")

    return do
