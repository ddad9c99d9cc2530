"""Liveness and readiness probes: /healthz (the process answers) and /readyz (its services).

Small views rather than django-health-check: that library renders HTML pages by default and
its JSON gives no timings, while a probe here is two JSON answers and three checks. Both are
answered by core.middleware.ProbeMiddleware before sessions, authentication or the host check
run, so neither needs the database to answer, nor a login; the body names each check, its
status and its time, never a host name, URL or error text that could carry a secret.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import HttpRequest, JsonResponse
from kombu import Connection

Check = Callable[[float], None]


def check_database(timeout: float) -> None:
    """`SELECT 1` on the default database, on a connection of this thread, closed after."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def check_broker(timeout: float) -> None:
    """Connect to the Celery broker (Redis pings on connect; the filesystem broker opens)."""
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS),
        connect_timeout=timeout,
    ) as conn:
        conn.ensure_connection(max_retries=0)  # one attempt, no back-off


def check_media(timeout: float) -> None:
    """Write and delete a small file in the media storage (uploads and reports go there)."""
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS: dict[str, Check] = {
    "database": check_database,
    "broker": check_broker,
    "media": check_media,
}


def run_checks(checks: dict[str, Check] | None = None) -> dict[str, dict[str, object]]:
    """Each check in its own thread, with settings.READINESS_TIMEOUT_SECONDS to finish.

    {"database": {"status": "ok" | "error" | "timeout", "ms": 3.1}, …}; an error is named by
    its class only (a message may carry a host name or a password).
    """
    checks = CHECKS if checks is None else checks
    timeout = float(settings.READINESS_TIMEOUT_SECONDS)
    results: dict[str, dict[str, object]] = {}
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    try:
        started = time.perf_counter()
        futures = {name: pool.submit(_timed, check, timeout) for name, check in checks.items()}
        for name, future in futures.items():
            left = max(0.0, timeout - (time.perf_counter() - started))
            try:
                results[name] = future.result(timeout=left)
            except FutureTimeout:
                results[name] = {"status": "timeout", "ms": round(timeout * 1000, 1)}
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return results


def _timed(check: Check, timeout: float) -> dict[str, object]:
    started = time.perf_counter()
    try:
        check(timeout)
    except Exception as exc:  # any failure is "not ready", reported without its message
        outcome: dict[str, object] = {"status": "error", "error": type(exc).__name__}
    else:
        outcome = {"status": "ok"}
    outcome["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return outcome


def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the process answers; touches nothing else."""
    return _no_store(JsonResponse({"status": "ok"}))


def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the broker and the media storage all answer, else 503."""
    checks = run_checks()
    ready = all(c["status"] == "ok" for c in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return _no_store(JsonResponse(body, status=200 if ready else 503))


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response
