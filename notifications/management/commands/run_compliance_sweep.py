"""python manage.py run_compliance_sweep --as-of 2024-03-25 [--dry-run [--show N]]

The hourly sweep run synchronously in this process (plan + dispatch + send, no broker).
Safe to repeat: a reminder already sent is not sent again. The dry run plans everything and
writes nothing; it prints the first N reminders with their deliveries (default 100, 0 for
all) and counts of every step, so that a portfolio of tens of thousands of reminders is
planned in seconds rather than spent printing.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.content import reminder_headline
from notifications.models import Delivery, Reminder
from notifications.recipients import RecipientBatch, deliveries_for
from notifications.services import PlanResult, sweep_now_for, sweep_plan, sweep_run_inline
from notifications.services.plan import ladders_for


class Command(BaseCommand):
    help = "Plan compliance reminders and send the due ones, synchronously."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today, Beijing time)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; write nothing."
        )
        parser.add_argument(
            "--show",
            type=int,
            default=100,
            help="dry run: print this many reminders in full (0: all; default 100)",
        )

    def handle(self, *args, **options):
        try:
            as_of = (
                datetime.date.fromisoformat(options["as_of"])
                if options["as_of"]
                else timezone.localdate()
            )
        except ValueError:
            raise CommandError("--as-of must be YYYY-MM-DD") from None
        now = sweep_now_for(as_of)
        if options["dry_run"]:
            if options["show"] < 0:
                raise CommandError("--show must be 0 (all) or more")
            self._dry_run(as_of, now, show_at_most=options["show"] or None)
            return
        report = sweep_run_inline(as_of=as_of, now=now)
        sent = sum(1 for s in report.sends.values() if s == "sent")
        self.stdout.write(
            f"planned {report.plan.created} new reminder(s), "
            f"cancelled {report.plan.cancelled}, sent {sent}"
        )
        reminders = Reminder.objects.in_bulk(list(report.sends))
        for rid, outcome in report.sends.items():
            r = reminders[rid]
            self.stdout.write(f"  [{outcome}] {r.step:<12} {reminder_headline(r, today=as_of)}")
        deliveries = Delivery.objects.in_bulk(list(report.deliveries))
        for did, result in report.deliveries.items():
            d = deliveries[did]
            error = f" ({d.last_error})" if result.status in ("retry", "failed") else ""
            self.stdout.write(
                f"    {result.status:<9} {d.channel:<8} {d.recipient_key} {d.address}{error}"
            )

    def _dry_run(self, as_of, now, *, show_at_most: int | None):
        self.stdout.write(f"dry run as of {as_of}:")
        steps: Counter[str] = Counter()
        shown = 0

        def show(part: PlanResult) -> None:  # one batch of operators: recipients in 5 queries
            nonlocal shown
            steps.update(r.step.split(":")[0] for r in part.wanted)  # before, overdue, …
            room = None if show_at_most is None else max(show_at_most - shown, 0)
            wanted = part.wanted if room is None else part.wanted[:room]
            if not wanted:
                return
            shown += len(wanted)
            ladder = ladders_for(r.organization_id for r in wanted)
            recipients = RecipientBatch(wanted)
            for r in wanted:
                at = timezone.localtime(r.due_at)
                due = "due" if r.due_at <= now else f"at {at:%Y-%m-%d %H:%M}"
                self.stdout.write(f"  {r.step:<12} {due:<22} {reminder_headline(r, today=as_of)}")
                for d in deliveries_for(r, ladder=ladder(r), lookup=recipients):
                    self.stdout.write(
                        f"      -> {d.channel:<8} {d.recipient_key:<14} {d.address} [{d.status}]"
                    )

        result = sweep_plan(as_of=as_of, now=now, dry_run=True, on_batch=show)
        if shown < result.planned:
            self.stdout.write(f"  … {result.planned - shown} more (--show 0 prints all)")
        self.stdout.write(
            f"{result.planned} current step(s), "
            f"{result.created} new, {result.cancelled} would be cancelled"
        )
        self.stdout.write(
            "  by kind of step: " + ", ".join(f"{step} {n}" for step, n in sorted(steps.items()))
        )
