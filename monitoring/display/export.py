"""The CSV of display checks (the monitoring page's export)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheet import text_cell
from icp.display_texts import finding_title

from ..models.display import DisplayCheck


def check_csv_rows(checks: Iterable[DisplayCheck]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Finished"),
            _("Operator"),
            _("Domain"),
            _("Filing number on record"),
            _("Final URL"),
            _("HTTP status"),
            _("Findings"),
            _("Problems"),
        ]
    )
    yield "\ufeff" + buffer.getvalue()
    for check in checks:
        buffer.seek(0)
        buffer.truncate()
        finished = timezone.localtime(check.finished_at) if check.finished_at else None
        writer.writerow(
            [
                text_cell(v)
                for v in (
                    finished.strftime("%Y-%m-%d %H:%M:%S") if finished else "",
                    check.operator.name_zh,
                    check.domain.display_name,
                    check.icp_number,
                    check.final_url,
                    check.status_code or "",
                    len(check.findings),
                    "; ".join(
                        finding_title(f["code"], f.get("values") or {}) for f in check.findings
                    ),
                )
            ]
        )
        yield buffer.getvalue()
