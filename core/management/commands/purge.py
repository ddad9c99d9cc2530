"""`manage.py purge [--only NAME …]`: delete what is kept past its time (core.purge)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import purge


class Command(BaseCommand):
    help = "Delete data past its keeping time (every registered purger, or those named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", default=[], metavar="NAME")

    def handle(self, *args, **options) -> None:
        unknown = sorted(set(options["only"]) - set(purge.registered()))
        if unknown:
            raise CommandError(
                f"No purger named {', '.join(unknown)}; known: {', '.join(purge.registered())}"
            )
        for name, count in purge.purge(only=options["only"]).items():
            self.stdout.write(f"{name}: {count}")
