"""Dashboard pages under /reports/: generate PDFs, import files, download exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import organization_list_for_user
from core.exceptions import ApplicationError
from dashboard.views.common import current_organization_id
from miniprograms.models import Operator
from miniprograms.selectors import operator_list_for_user

from . import exports, import_services, importing, selectors, services
from .api import export_response, template_response
from .models import ImportStatus, ReportKind, RunStatus

POLL_SECONDS = 2


def _run_or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (selectors.ReportRun.DoesNotExist, selectors.ImportRun.DoesNotExist):
        raise Http404(_("Not found.")) from None


@login_required
@require_GET
def index(request):
    user = request.user
    return render(
        request,
        "reports/index.html",
        {
            "kinds": ReportKind.choices,
            "operators": operator_list_for_user(user=user)
            .select_related(None)
            .only("pk", "name_zh"),
            "organizations": organization_list_for_user(user=user),
            "runs": selectors.report_run_list_for_user(user=user)[:20],
            "imports": selectors.import_run_list_for_user(user=user)[:20],
            "resources": list(exports.RESOURCES),
            "sheets": [(k, v["en"], v["zh"]) for k, v in importing.SHEETS.items()],
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
        )
    except Operator.DoesNotExist:
        raise Http404(_("Not found.")) from None
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return redirect("reports:index")
    if run.status == RunStatus.DONE:
        # Small report: stream it at once (the run stays in the history).
        return _pdf_response(run)
    return redirect("reports:run_detail", run_id=run.pk)


def _pdf_response(run):
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
@require_GET
def run_download(request, run_id: int):
    run = _run_or_404(selectors.report_run_get_for_user, user=request.user, run_id=run_id)
    if run.status != RunStatus.DONE or not run.file:
        raise Http404(_("This report is not ready yet."))
    return _pdf_response(run)


@login_required
@require_POST
def import_create(request):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to import."))
        return redirect("reports:index")
    org = request.POST.get("organization", "")
    try:
        run = import_services.import_run_create(
            user=request.user,
            content=upload.read(),
            filename=upload.name,
            organization_id=int(org) if org.isdigit() else None,
            sheet=request.POST.get("sheet", "")
            if request.POST.get("sheet") in importing.SHEETS
            else "",
        )
    except ApplicationError as e:
        messages.error(request, e.message)
        return redirect("reports:index")
    return redirect("reports:import_detail", run_id=run.pk)


def _import_context(run):
    labels = {
        (key, col.key): (col.en, col.zh)
        for key, sheet in importing.SHEETS.items()
        for col in sheet["cols"]
    }
    names = {sheet[lang]: key for key, sheet in importing.SHEETS.items() for lang in ("en", "zh")}
    errors = []
    for e in run.errors:
        sheet_key = names.get(e["sheet"], e["sheet"])
        en, zh = labels.get((sheet_key, e["field"]), (e["field"], e["field"]))
        errors.append({**e, "label": zh if _is_zh() else en})
    return {"run": run, "errors": errors, "poll": POLL_SECONDS, "statuses": ImportStatus}


def _is_zh() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("zh")


@login_required
@require_GET
def import_detail(request, run_id: int):
    run = _run_or_404(selectors.import_run_get_for_user, user=request.user, run_id=run_id)
    return render(request, "reports/import_detail.html", _import_context(run))


@login_required
@require_GET
def import_status(request, run_id: int):
    run = _run_or_404(selectors.import_run_get_for_user, user=request.user, run_id=run_id)
    return render(request, "reports/partials/_import_status.html", _import_context(run))


@login_required
@require_POST
def import_commit(request, run_id: int):
    run = _run_or_404(selectors.import_run_get_for_user, user=request.user, run_id=run_id)
    try:
        run = import_services.import_run_commit_request(user=request.user, run=run)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        if run.status == ImportStatus.COMMITTED:
            messages.success(request, _("Imported."))
    return redirect("reports:import_detail", run_id=run.pk)


@login_required
@require_GET
def import_template(request, fmt: str):
    if fmt not in ("xlsx", "csv"):
        raise Http404(_("Not found."))
    try:
        return template_response(
            fmt=fmt,
            language=request.GET.get("lang") or request.LANGUAGE_CODE,
            sheet=request.GET.get("sheet", "operators"),
        )
    except Exception as e:
        raise Http404(_("Not found.")) from e


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
