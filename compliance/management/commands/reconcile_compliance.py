"""Re-evaluate every operator's compliance rows (or some) and report what had drifted."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from compliance import tracking
from compliance.store import refresh_operators


class Command(BaseCommand):
    help = (
        "Bring the maintained compliance items up to date: every operator in batches (the "
        "nightly reconcile), or --operator ones. Prints counts and any drift it fixed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today in Beijing)")
        parser.add_argument("--operator", type=int, action="append", help="operator id")
        parser.add_argument("--advance", action="store_true", help="only what the clock moved")

    def handle(self, *args, **opts):
        as_of = None
        if opts["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(opts["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of: {exc}") from None
        started = time.perf_counter()
        if opts["operator"]:
            result = refresh_operators(opts["operator"], as_of=as_of)
        elif opts["advance"]:
            result = tracking.advance(as_of=as_of)
        else:
            result = tracking.reconcile(as_of=as_of)
        self.stdout.write(
            f"{result.operators} operators: {result.created} created, {result.updated} "
            f"updated, {result.reopened} reopened, {result.closed} closed, "
            f"{len(result.drift)} drifted, in {time.perf_counter() - started:.1f} s"
        )
        for operator_id, subject_type, subject_id, rule, what in result.drift[:50]:
            self.stdout.write(
                f"  drift: operator {operator_id} {subject_type} {subject_id} {rule} {what}"
            )
