"""Benchmark: the reminder pipeline (plan, re-plan, dispatch + send + deliver in-process).

    createdb -h 127.0.0.1 -U postgres icp_bench_notify
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/icp_bench_notify
    .venv/bin/python bench/reminder_sweep.py [1000 5000]

Uses icpfiling.settings.test (e-mail in memory) against DATABASE_URL (a scratch database,
NOT a test database). Builds each size with `seed_demo --scale N`, gives the generated
organization one manager, deletes its earlier reminders, then for the first N operators:
compliance_items + reminder_plan (cold), the same again (must create nothing), and the
whole send path inline (sweep_run_inline: dispatch, send, one in-app and one e-mail
delivery per reminder to the manager). Prints wall time and query counts.
"""

from __future__ import annotations

import datetime
import os
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

from accounts.models import Membership, Organization, Role, User  # noqa: E402
from compliance.engine import compliance_items  # noqa: E402
from miniprograms.models import Operator  # noqa: E402
from notifications.models import Delivery, Reminder  # noqa: E402
from notifications.services import (  # noqa: E402
    InlineEnqueue,
    delivery_send,
    reminder_dispatch,
    reminder_plan,
    reminder_send,
)
from notifications.services.sweep import sweep_now_for  # noqa: E402

SIZES = [int(a) for a in sys.argv[1:]] or [1_000, 5_000]
AS_OF = datetime.date(2024, 3, 25)


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


def main() -> None:
    print(f"database: {connection.settings_dict['NAME']}  as_of: {AS_OF}")
    call_command("migrate", verbosity=0)
    # The in-memory e-mail outbox would only grow; the bench counts deliveries instead.
    mail.outbox = []
    print(
        f"{'operators':>9} {'items':>7} {'plan s':>7} {'plan q':>7} {'new':>6} {'replan s':>8} "
        f"{'new':>4} {'send s':>7} {'send q':>7} {'sent':>6} {'deliv':>6} {'ms/reminder':>11} "
        f"{'q/reminder':>10}"
    )
    for size in SIZES:
        call_command("seed_demo", scale=size, quiet=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        org = Organization.objects.get(slug="scale-agency")
        user, _ = User.objects.get_or_create(
            username="bench-manager", defaults={"email": "bench@example.com"}
        )
        Membership.objects.get_or_create(user=user, organization=org, role=Role.MANAGER)
        Reminder.objects.filter(organization=org).delete()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        last_pk = (
            Operator.objects.filter(organization=org).order_by("pk").values_list("pk", flat=True)
        )[size - 1]
        operators = Operator.objects.filter(organization=org, pk__lte=last_pk)
        ids = list(operators.values_list("pk", flat=True))
        now = sweep_now_for(AS_OF)

        def plan(operators=operators, ids=ids, now=now):
            items = compliance_items(as_of=AS_OF, operators=operators)
            return items, reminder_plan(items=items, as_of=AS_OF, now=now, operator_ids=ids)

        (items, first), plan_s, plan_q = timed(plan)
        (_, second), replan_s, _ = timed(plan)
        (sent, delivered), send_s, send_q = timed(lambda now=now: send_all(now))
        mail.outbox = []
        assert delivered == Delivery.objects.filter(reminder__organization=org).count()
        per = 1000 * send_s / sent if sent else 0.0
        print(
            f"{len(ids):>9} {len(items):>7} {plan_s:>7.2f} {plan_q:>7} {first.created:>6} "
            f"{replan_s:>8.2f} {second.created:>4} {send_s:>7.2f} {send_q:>7} {sent:>6} "
            f"{delivered:>6} {per:>11.2f} {send_q / max(sent, 1):>10.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
