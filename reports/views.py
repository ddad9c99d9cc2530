"""Dashboard pages under /reports/: generate PDFs, download exports (imports: imports/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.switcher import current_organization_id
from audit.actions import AccessAction
from audit.services import record_event
from core.exceptions import ApplicationError, ConflictError
from core.idempotency import key_from_request
from miniprograms.models import Operator
from miniprograms.selectors import operator_list_for_user

from . import exports, selectors, services
from .api import export_response
from .kinds import report_kind_choices
from .models import RunStatus

# What each export holds, as the list pages name it (the key stays in the URL).
RESOURCE_LABELS = {
    "operators": gettext_lazy("Operators"),
    "miniprograms": gettext_lazy("Mini-programs & apps"),
    "domains": gettext_lazy("Domains"),
    "filings": gettext_lazy("Applications"),
    "persons": gettext_lazy("Responsible persons"),
    "compliance": gettext_lazy("Compliance"),
    "worklist": gettext_lazy("Worklist"),
}

POLL_SECONDS = 2


def _run_or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except selectors.ReportRun.DoesNotExist:
        raise Http404(_("Not found.")) from None


@login_required
@require_GET
def index(request):
    user = request.user
    return render(
        request,
        "reports/index.html",
        {
            "kinds": report_kind_choices(),
            "operators": operator_list_for_user(user=user)
            .select_related(None)
            .only("pk", "name_zh"),
            "runs": selectors.report_run_list_for_user(user=user)[:20],
            "resources": [(key, RESOURCE_LABELS.get(key, key)) for key in exports.RESOURCES],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def report_create(request):
    operator = request.POST.get("operator") or None
    try:
        run = services.report_run_create(
            user=request.user,
            kind=request.POST.get("kind", ""),
            operator_id=int(operator) if operator and operator.isdigit() else None,
            as_of=request.POST.get("as_of") or None,
            language=request.POST.get("language") or request.LANGUAGE_CODE,
            idempotency_key=key_from_request(request),
        )
    except Operator.DoesNotExist:
        raise Http404(_("Not found.")) from None
    except ApplicationError as e:
        messages.error(request, e.message)
        return redirect("reports:index")
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return redirect("reports:index")
    if run.status == RunStatus.DONE:
        # Small report: stream it at once (the run stays in the history).
        return _pdf_response(request, run)
    return redirect("reports:run_detail", run_id=run.pk)


def _pdf_response(request, run):
    record_event(AccessAction.REPORT_DOWNLOADED, actor=request.user, target=run, request=request)
    return FileResponse(
        run.file.open("rb"),
        as_attachment=True,
        filename=services.report_filename(run),
        content_type="application/pdf",
    )


@login_required
@require_GET
def run_detail(request, run_id: int):
    run = _run_or_404(selectors.report_run_get_for_user, user=request.user, run_id=run_id)
    return render(request, "reports/run_detail.html", {"run": run, "poll": POLL_SECONDS})


@login_required
@require_GET
def run_status(request, run_id: int):
    """The htmx-polled fragment; it stops polling once the run is finished."""
    run = _run_or_404(selectors.report_run_get_for_user, user=request.user, run_id=run_id)
    return render(request, "reports/partials/_run_status.html", {"run": run, "poll": POLL_SECONDS})


@login_required
@require_POST
def run_retry(request, run_id: int):
    try:
        services.report_run_retry(user=request.user, run_id=run_id)
    except selectors.ReportRun.DoesNotExist:
        raise Http404(_("Not found.")) from None
    except ConflictError as e:
        messages.error(request, e.message)
    return redirect("reports:run_detail", run_id=run_id)


@login_required
@require_GET
def run_download(request, run_id: int):
    run = _run_or_404(selectors.report_run_get_for_user, user=request.user, run_id=run_id)
    if run.status != RunStatus.DONE or not run.file:
        raise Http404(_("This report is not ready yet."))
    return _pdf_response(request, run)


def _dashboard_org_param(request, params):
    """Exports follow the dashboard's organization switcher unless the URL names one."""
    if "organization" in params:
        return params
    org_id = current_organization_id(request)
    if org_id:
        params = params.copy()
        params["organization"] = str(org_id)
    return params


@login_required
@require_GET
def export(request, resource: str, fmt: str):
    if resource not in exports.RESOURCES or fmt not in exports.FORMATS:
        raise Http404(_("Not found."))
    try:
        return export_response(
            user=request.user,
            resource=resource,
            fmt=fmt,
            params=_dashboard_org_param(request, request.GET),
        )
    except exports.ExportError as e:
        return HttpResponseBadRequest(str(e.detail))
