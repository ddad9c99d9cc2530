"""Shared fixtures: two tenants and one user per role, plus API clients."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from rest_framework.test import APIClient

from accounts.models import Role

from .egress_fakes import HostsFile
from .factories import (
    MembershipFactory,
    OperatorFactory,
    OrganizationFactory,
    UserFactory,
    enable_totp,
)


@pytest.fixture
def org(db):
    return OrganizationFactory(name="我的代理", slug="mine")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="别人的代理", slug="theirs")


def _member(org, role, *, limited=False, operators=()):
    m = MembershipFactory(organization=org, role=role, limited_to_assigned=limited)
    if operators:
        m.operators.set(operators)
    return m.user


@pytest.fixture
def operator(org):
    return OperatorFactory(organization=org, name_zh="深圳市测试科技有限公司")


@pytest.fixture
def other_operator(other_org):
    return OperatorFactory(organization=other_org, name_zh="广州市别家科技有限公司")


@pytest.fixture
def manager(org):
    return _member(org, Role.MANAGER)


@pytest.fixture
def editor(org):
    return _member(org, Role.EDITOR)


@pytest.fixture
def viewer(org):
    return _member(org, Role.VIEWER)


@pytest.fixture
def client_user(org, operator):
    return _member(org, Role.CLIENT, limited=True, operators=[operator])


@pytest.fixture
def other_manager(other_org):
    return _member(other_org, Role.MANAGER)


@pytest.fixture
def superuser(db):
    """A superuser with an authenticator app (superusers must have a second factor)."""
    user = UserFactory(is_staff=True, is_superuser=True)
    enable_totp(user)
    return user


@pytest.fixture
def api():
    """`api(user)` returns an APIClient authenticated as user (None: anonymous)."""

    def make(user=None):
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return make


@pytest.fixture
def reference_data(transactional_db):
    """The seed of the data migrations (provinces, rules, calendar years), for transactional
    tests: another one may have flushed it. serialized_rollback cannot be used for them, as it
    clashes with the content types such a flush re-creates."""
    for module in (
        "miniprograms.migrations.0002_seed_reference_data",
        "miniprograms.migrations.0006_province_domain_min_validity",
        "compliance.migrations.0002_seed_rules_and_calendar",
        "compliance.migrations.0003_seed_expiry_rules",
    ):
        importlib.import_module(module).seed(django_apps, None)


@pytest.fixture(autouse=True)
def _compliance_marks_start_empty():
    """Operators marked for re-evaluation by a rolled-back test do not leak into the next."""
    from compliance import tracking

    tracking.discard_pending()
    yield
    tracking.discard_pending()


@pytest.fixture(autouse=True)
def hosts_file(monkeypatch) -> HostsFile:
    """No test looks a real name up: core.egress resolves from this table (vendor hosts and
    example.com to public addresses nothing is sent to). A test adds names to `.table`."""
    fake = HostsFile()
    monkeypatch.setattr("core.egress.resolver.resolve", fake)
    return fake


@pytest.fixture(autouse=True)
def _egress_stays_on_loopback(monkeypatch):
    """The table above answers public addresses for the checks; a connection to one would
    leave the machine. Every connection the guard opens in a test must go to loopback."""
    import ipaddress

    from core.egress import client

    real_pool = client._pool
    outside: list[str] = []

    def loopback_only(target, timeout):
        if not ipaddress.ip_address(target.address).is_loopback:
            # Recorded as well as raised: a caller may catch the error as a failed send.
            outside.append(f"{target.host} ({target.address})")
            raise AssertionError(f"a test tried to connect to {outside[-1]}")
        return real_pool(target, timeout)

    monkeypatch.setattr(client, "_pool", loopback_only)
    yield
    assert not outside, f"connections outside loopback attempted: {outside}"


@pytest.fixture
def import_tasks_run_at_once(monkeypatch):
    """The import worker's part done at once, as an idle worker would: a test's transaction
    never commits, so a task queued after the commit would never run."""
    from imports import services

    steps = {services.PREVIEW_TASK: services.import_run_preview}
    steps[services.COMMIT_TASK] = services.import_run_commit

    def run_now(task: str, run_ids: list[int]) -> None:
        for run_id in run_ids:
            steps[task](run_id=run_id)

    monkeypatch.setattr(services, "enqueue", run_now)


@pytest.fixture(autouse=True)
def _rate_limits_start_empty():
    """Sign-in rate limits count in the cache: one test's failed attempts do not throttle the
    next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """A transactional test (live server, worker) empties the tables when it ends and the
    content types come back under new ids; a test after it would still find the old ids in
    the cache (audit entries point at them). Every test starts from an empty cache."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def client_for():
    """`client_for(user)`: a Django test client signed in as user (None: anonymous)."""
    from django.test import Client

    def make(user=None):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that empty the tables when they end (live server, worker, transaction=True) run
    after every test that expects the data migrations' seed, as Django orders them. pytest-django
    sorts so, but pytest's own grouping of parametrized session fixtures (the browser's) can
    move them back between the others; this runs last and restores the order (stable)."""

    def empties_tables(item) -> bool:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            return True
        return bool({"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ())))

    def uses_db(item) -> bool:
        return item.get_closest_marker("django_db") is not None or "db" in getattr(
            item, "fixturenames", ()
        )

    items.sort(key=lambda item: 1 if empties_tables(item) else 0 if uses_db(item) else 2)
