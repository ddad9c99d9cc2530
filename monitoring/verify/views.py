"""Pages: upload a verification, view or download its screenshot, queue a lookup, and the
CSV export of verifications. The section on the service pages is the inclusion tag
monitoring.templatetags.monitoring_verify."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import can_edit_operator, operator_refusal_reason
from audit.actions import AccessAction
from audit.services import record_event
from core.exceptions import ApplicationError, PermissionDeniedError
from core.spreadsheet import text_cell
from miniprograms.models import Domain, MiniProgram
from monitoring.models.verify import ServiceVerification

from . import selectors, services
from .forms import VerificationForm


def _service_or_404(request, service_type: str, service_id: int) -> MiniProgram | Domain:
    try:
        return selectors.service_get_for_user(
            user=request.user, service_type=service_type, service_id=service_id
        )
    except selectors.ServiceNotFoundError:
        raise Http404 from None


def service_section_url(service: MiniProgram | Domain) -> str:
    name = (
        "dashboard:miniprogram_detail"
        if isinstance(service, MiniProgram)
        else "dashboard:domain_detail"
    )
    return reverse(name, args=[service.pk]) + "#service-verifications"


def _refuse_unless_can_edit(request, service: MiniProgram | Domain) -> None:
    if not can_edit_operator(request.user, service.operator):
        raise PermissionDenied(
            " ".join(
                (
                    _("You have read-only access to this operator."),
                    operator_refusal_reason(request.user, service.operator),
                )
            )
        )


@login_required
def upload(request, service_type: str, service_id: int):
    service = _service_or_404(request, service_type, service_id)
    _refuse_unless_can_edit(request, service)
    about = isinstance(service, MiniProgram)
    if request.method == "POST":
        form = VerificationForm(request.POST, request.FILES, about_screen=about)
        if form.is_valid():
            try:
                services.verification_record(
                    user=request.user, service=service, **form.cleaned_data
                )
            except PermissionDeniedError as e:
                raise PermissionDenied(e.message) from None
            except ValidationError as e:
                for field, errors in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Verification recorded."))
                return redirect(service_section_url(service))
    else:
        initial = {"kind": request.GET["kind"]} if request.GET.get("kind") else {}
        form = VerificationForm(initial=initial, about_screen=about)
    return render(
        request,
        "monitoring/verify/upload.html",
        {"service": service, "form": form, "back": service_section_url(service)},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def evidence(request, verification_id: int):
    """The screenshot: shown in the browser (?view=1) or downloaded; an access event."""
    try:
        row = selectors.verification_get_for_user(
            user=request.user, verification_id=verification_id
        )
    except ServiceVerification.DoesNotExist:
        raise Http404 from None
    try:
        handle = row.screenshot.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = request.GET.get("view") == "1"
    record_event(
        AccessAction.DOCUMENT_DOWNLOADED,
        actor=request.user,
        target=row,
        request=request,
        detail={"evidence": row.kind, "inline": inline},
    )
    return FileResponse(
        handle,
        as_attachment=not inline,
        filename=row.original_name or "screenshot",
        content_type=row.content_type,
    )


@login_required
@require_POST
def lookup(request, service_type: str, service_id: int):
    service = _service_or_404(request, service_type, service_id)
    _refuse_unless_can_edit(request, service)
    try:
        services.lookup_request(user=request.user, service=service)
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Lookup queued; the result appears here in a minute."))
    return redirect(service_section_url(service))


def _csv_rows(rows) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel reads UTF-8 Chinese text with it
    writer.writerow(
        [
            _("Verified on"),
            _("Operator"),
            _("Service"),
            _("Filing number"),
            _("What was verified"),
            _("Note"),
            _("Recorded by"),
            _("Recorded at"),
        ]
    )
    for row in rows.iterator(chunk_size=500):
        service = row.service
        writer.writerow(
            text_cell(v)
            for v in (
                row.verified_on.isoformat(),
                row.operator.name_zh,
                getattr(service, "display_name", None) or service.name,
                row.number,
                row.get_kind_display(),
                row.note,
                row.created_by.get_username() if row.created_by else "",
                row.created_at.isoformat(timespec="seconds"),
            )
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@login_required
@require_GET
def export_csv(request):
    """Every verification the user may see, as CSV (an access event)."""
    rows = selectors.verification_list_for_user(user=request.user).order_by("-verified_on", "-id")
    record_event(
        AccessAction.EXPORTED,
        actor=request.user,
        request=request,
        detail={"resource": "service_verifications", "format": "csv"},
    )
    response = StreamingHttpResponse(_csv_rows(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verifications.csv"'
    return response
