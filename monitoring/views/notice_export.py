"""The provider notices as CSV (/monitoring/notices/export.csv): the list's filters, streamed,
recorded in the audit log as an export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.actions import AccessAction
from audit.services import record_event
from core.spreadsheet import neutralise

from ..models import ProviderNotice
from .notices import _filtered


def _csv_rows(qs: QuerySet[ProviderNotice]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Operator"),
            _("Service"),
            _("Provider"),
            _("Received at"),
            _("Deadline"),
            _("Fields to fix"),
            _("State"),
            _("Access kept"),
            _("Note"),
        ]
    )
    yield "\ufeff" + buffer.getvalue()
    for n in qs.iterator(chunk_size=500):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    n.operator.name_zh,
                    str(n.service),
                    n.provider_label,
                    timezone.localtime(n.received_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(n.deadline_at).strftime("%Y-%m-%d %H:%M"),
                    "、".join(n.fields_to_fix),
                    n.get_state_display(),
                    _("yes") if n.access_kept else "",
                    n.note,
                )
            ]
        )
        yield buffer.getvalue()


@login_required
@require_GET
def notice_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered notices as CSV (an export: recorded in the audit log)."""
    qs, filters = _filtered(request)
    record_event(
        AccessAction.EXPORTED,
        actor=request.user,
        request=request,
        detail={"resource": "provider_notices", "filters": filters},
    )
    response = StreamingHttpResponse(_csv_rows(qs), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="provider-notices-{stamp}.csv"'
    return response
