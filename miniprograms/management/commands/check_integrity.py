"""Report rows whose organization disagrees with their operator's (see miniprograms.integrity).

Exits with an error when any row disagrees, so it can run in a deploy check or cron.
`--repair` sets the copies back to their source's organization first.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from miniprograms.integrity import organization_mismatches, organization_mismatches_repair


class Command(BaseCommand):
    help = "Check that every organization copy agrees with its operator's organization."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair",
            action="store_true",
            help="set disagreeing copies to their source's organization before checking",
        )

    def handle(self, *args: Any, repair: bool, **options: Any) -> None:
        if repair:
            changed = organization_mismatches_repair()
            self.stdout.write(f"Repaired {changed} row(s).")
        mismatches = organization_mismatches()
        for m in mismatches:
            self.stdout.write(
                f"{m.model} #{m.pk}: organization {m.organization_id}, "
                f"expected {m.expected_organization_id}"
            )
        if mismatches:
            raise CommandError(f"{len(mismatches)} row(s) disagree with their operator.")
        self.stdout.write("Every organization copy agrees with its operator.")
