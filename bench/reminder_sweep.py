"""Benchmark: the reminder pipeline (plan, re-plan, dry run, dispatch + send + deliver in-process).

    createdb -h 127.0.0.1 -U postgres icp_bench_notify
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/icp_bench_notify
    .venv/bin/python bench/reminder_sweep.py [1000 5000]

Uses icpfiling.settings.test (e-mail in memory) against DATABASE_URL (a scratch database,
NOT a test database). Builds each size with `seed_demo --scale N`, gives the generated
organization one manager and deletes every earlier reminder, then measures the sweep over
every operator (sweep_plan, batches of operators):

- "as of" AS_OF (the engine, in batches): cold, then again (must create nothing);
- `run_compliance_sweep --as-of AS_OF --dry-run` in a child process: seconds and peak MB;
- today from the maintained rows (after a reconcile, timed apart): cold, then again;
- the send path inline (dispatch, send with its relevance recheck, in-app + e-mail
  deliveries to the manager) for at most SEND_LIMIT of the as-of reminders (the rest are
  deleted first): ms and queries per reminder.
"""

from __future__ import annotations

import datetime
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icpfiling.settings.test")

import django

django.setup()

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organization, Role, User  # noqa: E402
from compliance import tracking  # noqa: E402
from compliance.models import ComplianceItem  # noqa: E402
from miniprograms.models import Operator  # noqa: E402
from notifications.models import Reminder, ReminderStatus  # noqa: E402
from notifications.services import (  # noqa: E402
    InlineEnqueue,
    delivery_send,
    reminder_dispatch,
    reminder_send,
    sweep_plan,
)
from notifications.services.sweep import sweep_now_for  # noqa: E402

SIZES = [int(a) for a in sys.argv[1:]] or [1_000, 5_000]
AS_OF = datetime.date(2024, 3, 25)
SEND_LIMIT = int(os.environ.get("BENCH_SEND_LIMIT", "500"))
ROOT = Path(__file__).resolve().parent.parent


def timed(fn):
    """(result, seconds, queries); counts through a wrapper, which has no 9000-query cap."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
    return result, elapsed, count


def send_all(now) -> tuple[int, int]:
    sent = delivered = 0
    while True:
        queue = InlineEnqueue()
        claimed = reminder_dispatch(enqueue=queue, now=now)
        for rid in queue.reminder_ids:
            sent += reminder_send(reminder_id=rid, enqueue=queue, now=now) == "sent"
        for did in queue.delivery_ids:
            delivered += delivery_send(delivery_id=did, now=now).status == "sent"
        if not claimed.full:
            return sent, delivered


def dry_run(as_of: datetime.date) -> tuple[float, float, int]:
    """`run_compliance_sweep --dry-run` in a child: seconds, peak MB, lines printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "run_compliance_sweep", "--as-of", str(as_of), "--dry-run"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far (KB on Linux): the sizes grow.
    return elapsed, max(peak, before) / 1024, out.count("\n")


def main() -> None:
    print(f"database: {connection.settings_dict['NAME']}  as_of: {AS_OF}")
    call_command("migrate", verbosity=0)
    # The in-memory e-mail outbox would only grow; the bench counts deliveries instead.
    mail.outbox = []
    print(
        f"{'operators':>9} {'rows':>7} {'plan s':>7} {'plan q':>7} {'new':>6} {'replan s':>8} "
        f"{'new':>4} {'dry s':>6} {'dry MB':>6} {'reconcile s':>11} {'today s':>7} "
        f"{'today q':>7} {'new':>6} {'again s':>7} {'new':>4} {'sent':>5} {'deliv':>6} "
        f"{'ms/reminder':>11} "
        f"{'q/reminder':>10}"
    )
    for size in SIZES:
        call_command("seed_demo", scale=size, quiet=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        org = Organization.objects.get(slug="scale-agency")
        user, _ = User.objects.get_or_create(
            username="bench-manager", defaults={"email": "bench@example.com"}
        )
        Membership.objects.get_or_create(user=user, organization=org, role=Role.MANAGER)
        Reminder.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        operators = Operator.objects.count()
        now = sweep_now_for(AS_OF)

        first, plan_s, plan_q = timed(lambda now=now: sweep_plan(as_of=AS_OF, now=now))
        second, replan_s, _ = timed(lambda now=now: sweep_plan(as_of=AS_OF, now=now))
        dry_s, dry_mb, _ = dry_run(AS_OF)

        # The send path, for at most SEND_LIMIT of the as-of reminders.
        keep = list(
            Reminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=now)
            .order_by("id")
            .values_list("pk", flat=True)[:SEND_LIMIT]
        )
        Reminder.objects.exclude(pk__in=keep).delete()
        (sent, delivered), send_s, send_q = timed(lambda now=now: send_all(now))
        mail.outbox = []
        assert sent == len(keep)  # every kept reminder is still due: each is sent

        # Today, from the maintained rows (brought current first).
        Reminder.objects.all().delete()
        _, reconcile_s, _ = timed(tracking.reconcile)
        rows = ComplianceItem.objects.filter(closed_at__isnull=True).count()
        today = timezone.localdate()
        t_first, today_s, today_q = timed(lambda today=today: sweep_plan(as_of=today))
        t_second, again_s, _ = timed(lambda today=today: sweep_plan(as_of=today))

        per = 1000 * send_s / sent if sent else 0.0
        print(
            f"{operators:>9} {rows:>7} {plan_s:>7.2f} {plan_q:>7} {first.created:>6} "
            f"{replan_s:>8.2f} {second.created:>4} {dry_s:>6.1f} {dry_mb:>6.0f} "
            f"{reconcile_s:>11.2f} {today_s:>7.2f} {today_q:>7} {t_first.created:>6} "
            f"{again_s:>7.2f} {t_second.created:>4} {sent:>5} {delivered:>6} {per:>11.2f} "
            f"{send_q / max(sent, 1):>10.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
