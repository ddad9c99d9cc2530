"""Render a PDF report from the command line, as a given user sees the register.

python manage.py render_report --kind portfolio --user agency_manager -o out.pdf
python manage.py render_report --kind dossier --operator 3 --lang zh-hans --user u -o d.pdf
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from miniprograms.models import Operator
from reports import services
from reports.kinds import KINDS
from reports.models import ReportRun, RunStatus


class Command(BaseCommand):
    help = "Render a PDF report (dossier, portfolio or inspection) for USER to a file."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=list(KINDS))
        parser.add_argument("--operator", type=int, help="operator id (dossier, inspection)")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--lang", default="en", choices=services.SUPPORTED_LANGUAGES)
        parser.add_argument("--user", required=True, help="username whose access applies")
        parser.add_argument("-o", "--output", required=True, help="PDF file to write")

    def handle(self, *args, kind, operator, as_of, lang, user, output, **options):
        account = User.objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"No active user {user!r}.")
        try:
            params, language = services.clean_report_params(
                user=account, kind=kind, operator_id=operator, as_of=as_of, language=lang
            )
        except ValidationError as e:
            raise CommandError("; ".join(e.messages)) from None
        except Operator.DoesNotExist:
            raise CommandError(f"Operator {operator} not found for {user}.") from None
        # Recorded like any other run: who generated which report and when.
        run = ReportRun.objects.create(user=account, kind=kind, params=params, language=language)
        services.report_run_execute(run_id=run.pk)
        run.refresh_from_db()
        if run.status != RunStatus.DONE:
            raise CommandError(f"Report failed: {run.error}")
        with run.file.open("rb") as src:
            Path(output).write_bytes(src.read())
        self.stdout.write(f"Wrote {output} ({run.size_bytes} bytes, run #{run.pk}).")
