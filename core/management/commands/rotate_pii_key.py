"""Re-encrypt every encrypted value under the first FIELD_ENCRYPTION_KEY (core.rotation)."""

from django.core.management.base import BaseCommand, CommandError

from core.rotation import rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt ID numbers, webhook URLs and the key canary under the first "
        "FIELD_ENCRYPTION_KEY and recompute blind indexes, in batches (each its own "
        "transaction). Safe to interrupt and re-run. Exits 1 if a value opens with no key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        results = rotate_keys(batch_size=batch_size, dry_run=dry_run, report=self.stdout.write)
        changed = sum(c.reencrypted + c.indexes for c in results)
        unreadable = sum(c.unreadable for c in results)
        if dry_run:
            self.stdout.write(f"Dry run: {changed} changes would be written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Done: {changed} changes written."))
        if unreadable:
            raise CommandError(
                f"{unreadable} values open with none of the FIELD_ENCRYPTION_KEY keys; they "
                "were left as they are. Add the key they were written with and run again "
                "before removing any old key."
            )
