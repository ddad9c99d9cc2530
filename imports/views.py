"""Pages under /reports/imports/: upload a file, watch its check, confirm the import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.exceptions import NotFound

from accounts.access import organization_list_for_user
from core.exceptions import ApplicationError
from core.idempotency import key_from_request

from . import retention, selectors, services
from .api import template_response
from .columns import SHEETS
from .models import ImportRun, ImportStatus

POLL_SECONDS = 2


def _run_or_404(request: HttpRequest, run_id: int) -> ImportRun:
    try:
        return selectors.import_run_get_for_user(user=request.user, run_id=run_id)
    except ImportRun.DoesNotExist:
        raise Http404(_("Not found.")) from None


def _sheet_choices() -> list[tuple[str, str, str]]:
    return [(k, v["en"], v["zh"]) for k, v in SHEETS.items()]


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The upload form and the user's recent imports; a POST uploads a file."""
    if request.method == "POST":
        return _create(request)
    user = request.user
    return render(
        request,
        "imports/index.html",
        {
            "organizations": organization_list_for_user(user=user),
            "imports": selectors.import_run_list_for_user(user=user)[:20],
            "sheets": _sheet_choices(),
        },
    )


def _create(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to import."))
        return redirect("imports:index")
    org = request.POST.get("organization", "")
    sheet = request.POST.get("sheet", "")
    replaces = request.POST.get("replaces", "")
    try:
        run = services.import_run_create(
            user=request.user,
            content=upload.read(),
            filename=upload.name or "",
            organization_id=int(org) if org.isdigit() else None,
            sheet=sheet if sheet in SHEETS else "",
            replaces=_run_or_404(request, int(replaces)) if replaces.isdigit() else None,
            idempotency_key=key_from_request(request),
        )
    except ApplicationError as e:
        messages.error(request, e.message)
        return redirect("imports:index")
    # Accepted, not done: the worker checks the file while this page polls its progress.
    response = render(request, "imports/detail.html", _import_context(run), status=202)
    response["Content-Location"] = reverse("imports:detail", args=[run.pk])
    return response


def _import_context(run: ImportRun) -> dict:
    labels = {
        (key, col.key): (col.en, col.zh) for key, sheet in SHEETS.items() for col in sheet["cols"]
    }
    names = {sheet[lang]: key for key, sheet in SHEETS.items() for lang in ("en", "zh")}
    zh = (get_language() or "").startswith("zh")
    errors = []
    for e in run.errors:
        sheet_key = names.get(e["sheet"], e["sheet"])
        en, zh_label = labels.get((sheet_key, e["field"]), (e["field"], e["field"]))
        errors.append({**e, "label": zh_label if zh else en})
    summary = [
        (SHEETS[key]["zh" if zh else "en"] if key in SHEETS else key, counts)
        for key, counts in (run.summary or {}).items()
    ]
    return {
        "run": run,
        "errors": errors,
        "summary": summary,
        "poll": POLL_SECONDS,
        "statuses": ImportStatus,
        "sheets": _sheet_choices(),
        "can_download_problems": bool(run.errors and run.file),
        "can_discard": run.status in retention.ABANDONABLE and bool(run.file),
    }


@login_required
@require_GET
def detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(request, run_id)
    return render(request, "imports/detail.html", _import_context(run))


@login_required
@require_GET
def status(request: HttpRequest, run_id: int) -> HttpResponse:
    """The htmx-polled fragment; it stops polling once the check or import is finished."""
    run = _run_or_404(request, run_id)
    return render(request, "imports/partials/_status.html", _import_context(run))


@login_required
@require_POST
def commit(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(request, run_id)
    try:
        run = services.import_run_commit_request(user=request.user, run=run)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        if run.status == ImportStatus.COMMITTED and run.changes == 0:
            messages.info(
                request, _("Nothing to import: every row is already in the register as written.")
            )
        elif run.status == ImportStatus.COMMITTED:
            messages.success(request, _("Imported."))
    return redirect("imports:detail", run_id=run.pk)


@login_required
@require_POST
def discard(request: HttpRequest, run_id: int) -> HttpResponse:
    """Abandon a checked file: the upload is deleted, the run's record stays."""
    run = _run_or_404(request, run_id)
    try:
        retention.import_run_discard(user=request.user, run=run)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The uploaded file was deleted."))
    return redirect("imports:detail", run_id=run.pk)


@login_required
@require_GET
def template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise Http404(_("Not found."))
    try:
        return template_response(
            fmt=fmt,
            language=request.GET.get("lang") or request.LANGUAGE_CODE,
            sheet=request.GET.get("sheet", "operators"),
        )
    except NotFound as e:  # an unknown sheet
        raise Http404(_("Not found.")) from e


@login_required
@require_GET
def problems(request: HttpRequest, run_id: int) -> HttpResponse:
    """The uploaded file back with a "problems" column: fix the rows, upload it again."""
    run = _run_or_404(request, run_id)
    try:
        content, content_type, name = services.import_run_problems_file(
            run=run, language=get_language() or "en"
        )
    except ApplicationError as e:
        messages.error(request, e.message)
        return redirect("imports:detail", run_id=run.pk)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
