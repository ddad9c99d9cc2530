"""Our own redis-server and a real Celery worker against the pytest database.

The integration tests of compliance, imports and reports each start one (module-scoped)
through `worker_stack`; the parts come from tests/notifications/test_integration.py.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from icpfiling.celery import app
from tests.notifications.test_integration import ROOT, RedisServer, Worker, _publish_to


@dataclass
class Stack:
    redis: RedisServer
    worker: Worker
    work: Path  # the stack's folder: mail/, media/, worker.log

    @property
    def media(self) -> Path:
        return self.work / "media"


def database_url() -> str:
    """The pytest database, as the worker's DATABASE_URL."""
    from django.db import connection

    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@contextlib.contextmanager
def worker_stack(work: Path, *, env: dict[str, str] | None = None) -> Iterator[Stack]:
    """Start redis-server and a worker in `work`; this process publishes to that Redis
    until the block ends, then both stop and publishing goes back where it was."""
    redis_server = RedisServer(work)
    redis_server.start()
    (work / "mail").mkdir(exist_ok=True)
    (work / "media").mkdir(exist_ok=True)
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_server.url,
        "EMAIL_FILE_PATH": str(work / "mail"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        **(env or {}),
    }
    old_url = app.conf.broker_url
    _publish_to(redis_server.url)
    worker = Worker(worker_env, work / "worker.log")
    worker.start()
    try:
        yield Stack(redis_server, worker, work)
    finally:
        worker.stop()
        with contextlib.suppress(Exception):
            app.pool.force_close_all()  # type: ignore[attr-defined]
        _publish_to(old_url)
        redis_server.stop()
