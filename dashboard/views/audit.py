"""The audit log page: the organization's changes and access events, for its managers
(superusers: every entry), filtered, paginated, and exported as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import can_view_audit_log
from accounts.switcher import current_organization_id
from audit.actions import AccessAction
from audit.selectors import (
    action_choices,
    changed_fields_label,
    changes_text,
    entries_filtered,
    entry_list_for_user,
    object_type_choices,
    object_type_label,
    parse_filters,
)
from audit.services import record_event
from reports.exports import audit_filters, neutralise

from .common import paginate

CSV_CHUNK = 500


def _entries_or_errors(request):
    if not can_view_audit_log(request.user):
        raise Http404(_("Not found."))
    filters, errors = parse_filters(request.GET)
    qs = entry_list_for_user(user=request.user)
    org_id = current_organization_id(request)
    if org_id:
        qs = qs.filter(organization_id=org_id)
    return entries_filtered(qs, filters), filters, errors


@login_required
@require_GET
def audit_log(request):
    entries, filters, errors = _entries_or_errors(request)
    page = paginate(request, entries if not errors else entries.none())
    for entry in page.object_list:
        entry.changes_display = changed_fields_label(entry)
        entry.type_label = object_type_label(entry)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/audit_log.html",
        {
            "page_obj": page,
            "filters": filters,
            "errors": errors,
            "actions": action_choices(),
            "object_types": object_type_choices(),
            "export_query": query.urlencode(),
        },
        status=400 if errors else 200,
    )


def _csv_rows(entries) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Time"),
            _("Person"),
            _("Organization"),
            _("Action"),
            _("Object type"),
            _("Object"),
            _("Changes"),
            _("Details"),
            _("Address"),
        ]
    )
    yield "\ufeff" + buffer.getvalue()
    for entry in entries.iterator(chunk_size=CSV_CHUNK):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.who_display,
                    entry.organization.name if entry.organization_id and entry.organization else "",
                    entry.what,
                    object_type_label(entry),
                    entry.object_repr,
                    changes_text(entry),
                    str(entry.additional_data or ""),
                    entry.remote_addr or "",
                )
            ]
        )
        yield buffer.getvalue()


@login_required
@require_GET
def audit_log_export(request):
    """The filtered log as CSV (itself an export, so it is recorded)."""
    entries, _filters, errors = _entries_or_errors(request)
    if errors:
        return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")
    record_event(
        AccessAction.EXPORTED,
        actor=request.user,
        request=request,
        detail={"resource": "audit_log", "filters": audit_filters(request.GET)},
    )
    response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
