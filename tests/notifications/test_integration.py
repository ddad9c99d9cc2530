"""End to end: our own redis-server and Celery worker processes against the pytest database.

The worker runs `tests.notifications.worker_settings` (the test settings, e-mail written to
files). Webhooks go through apprise to an HTTP server in this process (`json://`). The worker
uses the real compliance engine: a mini-program live since 2022 without a filing is overdue
(existing-filing deadline 2024-03-31), so today's sweep owes it a reminder.

Short tunables in the worker (environment): claim lease 3 s, retry backoff 1 s, 2 s …
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis
from django.utils import timezone

from icpfiling.celery import app
from notifications import services, tasks
from notifications.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderLadder,
    ReminderStatus,
    WebhookEndpoint,
)
from tests.factories import MiniProgramFactory, PersonFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3
TIMINGS: dict[str, float] = {}
_TASK_EVENT = re.compile(r"Task [\w.]+\[([0-9a-f-]{36})\] (received|succeeded|retry|raised|failed)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, what: str, *, timeout: float = 30, tail=None) -> None:
    """Poll until `predicate()`; the deadline only turns a hang into a readable failure."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}\n{tail() if tail else ''}")


def _publish_to(url: str) -> None:
    """Point this process's publisher at `url`, dropping the pools bound to the old broker."""
    app.conf["broker_url"] = url
    # Celery's private pool caches: real attributes the stubs do not declare.
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


# --- processes ----------------------------------------------------------------------------


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            pytest.fail("redis-server is not installed: apt-get install -y redis-server")
        self.exe: str = exe
        self.port = _free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        cmd = [self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        cmd += ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)]
        log = (self.workdir / "redis.log").open("ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        client = self.client()

        def up() -> bool:
            with contextlib.suppress(redis.ConnectionError):
                return bool(client.ping())
            return False

        wait_for(up, "redis-server to start", timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)


class Worker:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.offset = offset
        cmd = [str(Path(sys.executable).parent / "celery"), "-A", "icpfiling", "worker"]
        cmd += ["-P", "prefork", "-c", "1", "--without-heartbeat", "--without-gossip"]
        cmd += ["--without-mingle", "-l", "info", "-n", f"notify-it-{os.getpid()}@%h"]
        log = self.log_path.open("ab")
        # Own session: SIGKILL reaches the pool child too, by this process group's id only.
        proc = subprocess.Popen(  # noqa: S603
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.proc = proc

        def ready() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"worker exited with {proc.returncode}\n{self.tail()}")
            return b" ready." in self.log_path.read_bytes()[offset:]

        wait_for(ready, "the Celery worker to be ready", timeout=30, tail=self.tail)

    def pool_child(self) -> int:
        assert self.proc is not None, "the worker is not started"
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        (pid,) = [int(p) for p in children.split()]  # -c 1: one pool process
        return pid

    def kill(self) -> None:
        assert self.proc is not None, "the worker is not started"
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def log_since_start(self) -> str:
        return self.log_path.read_bytes()[self.offset :].decode(errors="replace")

    def tail(self, n: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])


# --- webhook receiver ---------------------------------------------------------------------


class Hooks(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _HookHandler)
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()  # every POST, answered or not
        self.received: dict[str, list[dict]] = defaultdict(list)  # answered 200
        self.fail_first: dict[str, int] = {}
        # path -> (arrived, release): the first request is held until released, unanswered
        self.block_first: dict[str, tuple[threading.Event, threading.Event]] = {}

    def block(self, path: str) -> tuple[threading.Event, threading.Event]:
        self.block_first[path] = (threading.Event(), threading.Event())
        return self.block_first[path]

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.server_address[1]}{path}"


class _HookHandler(BaseHTTPRequestHandler):
    server: Hooks

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        srv = self.server
        with srv.lock:
            srv.requests[self.path] += 1
            n = srv.requests[self.path]
        if self.path in srv.block_first and n == 1:
            arrived, release = srv.block_first[self.path]
            arrived.set()
            release.wait(60)  # the sender is killed meanwhile; never answered
            return
        if n <= srv.fail_first.get(self.path, 0):
            self.send_response(500)
            self.end_headers()
            return
        with srv.lock:
            srv.received[self.path].append(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args) -> None:
        pass


# --- fixtures -----------------------------------------------------------------------------


class Stack:
    def __init__(self, redis_server: RedisServer, worker: Worker, hooks: Hooks, mail_dir: Path):
        self.redis = redis_server
        self.worker = worker
        self.hooks = hooks
        self.mail_dir = mail_dir

    def idle(self) -> bool:
        """Nothing on the queue, and every task the worker received since its (re)start has
        finished: each `received` line of the log matched by a succeeded/retry/failure line.
        A retried task is received again under the same id, so counts are compared."""
        if self.redis.client().llen("celery"):
            return False
        log = self.worker.log_since_start()
        seen: Counter[str] = Counter()
        done: Counter[str] = Counter()
        for task_id, event in _TASK_EVENT.findall(log):
            (seen if event == "received" else done)[task_id] += 1
        # A task whose pool process was killed ends with this line, which names no task id.
        lost = log.count("Task handler raised error: WorkerLostError")
        return not (done - seen) and sum((seen - done).values()) == lost

    def wait_idle(self) -> None:
        # Twice, apart: a message popped from the list is logged as received a moment later.
        def settled() -> bool:
            if not self.idle():
                return False
            time.sleep(0.2)
            return self.idle()

        wait_for(settled, "the worker to be idle", tail=self.worker.tail)

    def emails(self) -> list[tuple[str, str]]:
        """(Message-ID, To) of every e-mail the worker wrote."""
        out = []
        for f in sorted(self.mail_dir.glob("*.log")):
            text = f.read_text()
            ids = re.findall(r"^Message-ID: (<[^>]+>)$", text, flags=re.M)
            tos = re.findall(r"^To: (.+)$", text, flags=re.M)
            out += list(zip(ids, tos, strict=True))
        return out


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    work = tmp_path_factory.mktemp("notify-it")
    mail_dir = work / "mail"
    mail_dir.mkdir()
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    redis_server = RedisServer(work)
    redis_server.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_server.url,
        "EMAIL_FILE_PATH": str(mail_dir),
        "NOTIFICATIONS_LEASE_SECONDS": str(LEASE_SECONDS),
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
        "NOTIFICATIONS_SEND_HOUR": "0",
        # The webhook receiver is this process, on loopback: allowed for these tests only.
        "EGRESS_ALLOW_NETWORKS": "127.0.0.1/32",
    }
    # This process publishes to the same private Redis (never the shared one).
    old_url = app.conf.broker_url
    _publish_to(redis_server.url)
    hooks = Hooks()
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    worker = Worker(env, work / "worker.log")
    started = time.monotonic()
    worker.start()
    TIMINGS["worker start (s)"] = time.monotonic() - started
    try:
        yield Stack(redis_server, worker, hooks, mail_dir)
    finally:
        worker.stop()
        for _arrived, release in hooks.block_first.values():
            release.set()
        hooks.shutdown()
        hooks.server_close()
        with contextlib.suppress(Exception):
            # At run time `app.pool` is kombu's connection pool; the stubs say ProducerPool.
            app.pool.force_close_all()  # type: ignore[attr-defined]
        _publish_to(old_url)
        redis_server.stop()
        sys.stderr.write(
            "\nnotifications integration timings: "
            + ", ".join(f"{k}={v:.2f}" for k, v in TIMINGS.items())
            + "\n"
        )


@pytest.fixture
def overdue_mp(reference_data, operator):
    """Due today (overdue since 2024-04-01); no escalation, to count one reminder."""
    ReminderLadder.objects.create(
        organization=operator.organization,
        escalate_when_overdue=False,
        escalate_unacknowledged_after_days=None,
    )
    return MiniProgramFactory(operator=operator, launch_date=datetime.date(2022, 6, 1))


def _hook(stack: Stack, org, *, name: str, read_timeout: int | None = None) -> str:
    path = f"/{name}-{uuid.uuid4().hex[:8]}"
    url = stack.hooks.url(path)
    if read_timeout:  # apprise's `rto`: a held request must outlast a slow test machine
        url += f"?rto={read_timeout}"
    WebhookEndpoint.objects.create(organization=org, name=name, kind="json", url=url)
    return path


def _delivered(channel: str = "webhook") -> bool:
    return Delivery.objects.filter(channel=channel, status=DeliveryStatus.SENT).exists()


def _dispatch_until(stack: Stack, predicate, what: str) -> None:
    """Run the beat's dispatch every half second (instead of every 5 minutes) until done."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        app.send_task("notifications.dispatch")
        for _ in range(5):
            if predicate():
                return
            time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}\n{stack.worker.tail()}")


# --- tests --------------------------------------------------------------------------------


def test_due_reminder_is_delivered_once_per_channel_and_sweeps_repeat_nothing(
    stack, overdue_mp, manager
):
    # given: a member (in-app + e-mail), a responsible person (e-mail) and a bot
    person = PersonFactory(operator=overdue_mp.operator, email="fuzeren@example.cn")
    path = _hook(stack, overdue_mp.organization, name="ok")

    # when: the beat's sweep runs, then three more times
    started = time.monotonic()
    app.send_task("notifications.plan")
    wait_for(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 4,
        "four deliveries",
        tail=stack.worker.tail,
    )
    TIMINGS["sweep to 4 deliveries (s)"] = time.monotonic() - started
    stack.wait_idle()
    for _ in range(3):
        app.send_task("notifications.plan")
        stack.wait_idle()

    # then
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.subject_id) == (ReminderStatus.SENT, overdue_mp.pk)
    assert sorted(
        Delivery.objects.values_list("channel", "recipient_key", "status", "attempts")
    ) == [
        ("email", f"person:{person.pk}", "sent", 1),
        ("email", f"user:{manager.pk}", "sent", 1),
        ("in_app", f"user:{manager.pk}", "sent", 1),
        ("webhook", f"endpoint:{WebhookEndpoint.objects.get().pk}", "sent", 1),
    ]
    assert stack.hooks.requests[path] == 1
    assert len(stack.hooks.received[path]) == 1
    assert overdue_mp.name in stack.hooks.received[path][0]["title"]
    emails = stack.emails()
    assert sorted(to for _, to in emails) == sorted([manager.email, "fuzeren@example.cn"])
    assert len({mid for mid, _ in emails}) == 2
    assert Notification.objects.filter(user=manager).count() == 1


def test_worker_killed_while_sending_delivers_after_restart(stack, overdue_mp):
    # given: a bot that never answers its first request
    path = _hook(stack, overdue_mp.organization, name="block", read_timeout=60)
    arrived, release = stack.hooks.block(path)
    app.send_task("notifications.plan")
    assert arrived.wait(30), stack.worker.tail()

    # when: the worker dies mid-send (SIGKILL to main process and pool child) and restarts
    stack.worker.kill()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)  # rolled back
    release.set()
    started = time.monotonic()
    stack.worker.start()
    # Its message is unacked in Redis for an hour (visibility_timeout); the claim lease in
    # Postgres is what brings the delivery back.
    _dispatch_until(stack, _delivered, "the delivery after the restart")
    TIMINGS["restart to redelivery (s)"] = time.monotonic() - started
    stack.wait_idle()
    app.send_task("notifications.plan")
    stack.wait_idle()

    # then
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert stack.hooks.requests[path] == 2  # the lost one and the redelivery
    assert len(stack.hooks.received[path]) == 1
    assert Reminder.objects.get().status == ReminderStatus.SENT


def test_pool_child_killed_while_sending_is_redelivered_by_the_broker(stack, overdue_mp):
    # given: a bot that never answers its first request
    path = _hook(stack, overdue_mp.organization, name="child", read_timeout=60)
    arrived, release = stack.hooks.block(path)
    app.send_task("notifications.plan")
    assert arrived.wait(30), stack.worker.tail()

    # when: only the pool process running the task dies; the main process stays up
    started = time.monotonic()
    os.kill(stack.worker.pool_child(), signal.SIGKILL)
    release.set()

    # then: acks_late + reject_on_worker_lost put the message back at once; no dispatch runs
    wait_for(_delivered, "the broker to redeliver the task", tail=stack.worker.tail)
    TIMINGS["child killed to redelivery (s)"] = time.monotonic() - started
    stack.wait_idle()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert stack.hooks.requests[path] == 2
    assert len(stack.hooks.received[path]) == 1
    assert "WorkerLostError" in stack.worker.log_since_start()


def test_channel_failing_twice_then_succeeding_is_delivered_once(stack, overdue_mp, manager):
    # given
    path = _hook(stack, overdue_mp.organization, name="flaky")
    stack.hooks.fail_first[path] = 2

    # when
    app.send_task("notifications.plan")
    wait_for(_delivered, "the webhook to succeed", tail=stack.worker.tail)
    stack.wait_idle()

    # then: retried with backoff, delivered once; the other channels were not held up
    hook = Delivery.objects.get(channel="webhook")
    assert (hook.status, hook.attempts) == (DeliveryStatus.SENT, 3)
    assert "500" in hook.last_error or "webhook" in hook.last_error
    assert stack.hooks.requests[path] == 3
    assert len(stack.hooks.received[path]) == 1
    others = Delivery.objects.exclude(channel="webhook")
    assert sorted(others.values_list("channel", "status", "attempts")) == [
        ("email", "sent", 1),
        ("in_app", "sent", 1),
    ]


def test_redis_down_during_sweep_loses_nothing(stack, overdue_mp, settings):
    # given: the broker is down when the sweep runs (in this process)
    settings.NOTIFICATIONS_SEND_HOUR = 0
    path = _hook(stack, overdue_mp.organization, name="outage")
    stack.redis.stop()

    # when
    started = time.monotonic()
    plan = services.sweep_plan(as_of=timezone.localdate())
    claimed = services.reminder_dispatch(enqueue=tasks.ENQUEUE)
    TIMINGS["sweep with broker down (s)"] = time.monotonic() - started

    # then: claimed, not published, and handed back instead of left stranded
    assert (plan.created, len(claimed.reminder_ids)) == (1, 1)
    assert Reminder.objects.get().status == ReminderStatus.PENDING

    # when: Redis is back (empty) and the worker reconnects
    started = time.monotonic()
    stack.redis.start()
    _dispatch_until(stack, _delivered, "the delivery once Redis is back")
    TIMINGS["redis back to delivery (s)"] = time.monotonic() - started
    stack.wait_idle()

    # then
    assert Reminder.objects.get().status == ReminderStatus.SENT
    assert stack.hooks.requests[path] == 1
    assert len(stack.hooks.received[path]) == 1
