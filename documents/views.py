"""Pages: the materials checklist of an operator, upload, download and delete."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can_edit_operator, operator_refusal_reason
from audit.actions import AccessAction
from audit.services import record_event
from core.exceptions import PermissionDeniedError
from miniprograms.models import Operator
from miniprograms.selectors import operator_get_for_user

from . import selectors, services
from .forms import DocumentUploadForm
from .models import Document


def _operator_or_404(request, operator_id: int) -> Operator:
    try:
        return operator_get_for_user(user=request.user, operator_id=operator_id)
    except Operator.DoesNotExist:
        raise Http404 from None


def _document_or_404(request, document_id: int) -> Document:
    try:
        return selectors.document_get_for_user(user=request.user, document_id=document_id)
    except Document.DoesNotExist:
        raise Http404 from None


# Reuse the dashboard's badge colours: good / warn / bad / muted.
STATUS_CSS = {
    selectors.ItemStatus.PRESENT: "status-compliant",
    selectors.ItemStatus.EXPIRING: "status-due_soon",
    selectors.ItemStatus.EXPIRED: "status-overdue",
    selectors.ItemStatus.MISSING: "status-overdue",
    selectors.ItemStatus.OPTIONAL: "status-not_applicable",
}


def _upload_query(req) -> str:
    params: dict[str, object] = {"doc_type": req.doc_type}
    if req.service is not None:
        params[req.service.kind] = req.service.id
    if req.preapproval_id:
        params["preapproval"] = req.preapproval_id
    return urlencode(params)


def _next_url(request) -> str:
    """Where to go after the upload (an application's page that linked here), if safe."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def checklist(request, operator_id: int):
    operator = _operator_or_404(request, operator_id)
    rows = selectors.operator_checklist(operator=operator)
    counts = {s: sum(1 for r in rows if r.status == s) for s in {r.status for r in rows}}
    return render(
        request,
        "documents/checklist.html",
        {
            "operator": operator,
            "rows": [(row, _upload_query(row.requirement), STATUS_CSS[row.status]) for row in rows],
            "counts": counts,
            "gaps": sum(1 for r in rows if r.is_gap),
            "documents": selectors.document_list_for_user(user=request.user).filter(
                operator=operator
            ),
            "can_edit": can_edit_operator(request.user, operator),
        },
    )


@login_required
def upload(request, operator_id: int):
    operator = _operator_or_404(request, operator_id)
    if not can_edit_operator(request.user, operator):
        raise PermissionDenied(
            " ".join(
                (
                    _("You have read-only access to this operator."),
                    operator_refusal_reason(request.user, operator),
                )
            )
        )
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES, operator=operator)
        if form.is_valid():
            try:
                services.document_upload(user=request.user, operator=operator, **form.cleaned_data)
            except PermissionDeniedError as e:
                raise PermissionDenied(e.message) from None
            except ValidationError as e:
                for field, errors in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Document uploaded."))
                checklist_url = reverse("documents:checklist", kwargs={"operator_id": operator.pk})
                return redirect(_next_url(request) or checklist_url)
    else:
        initial = {
            k: request.GET[k]
            for k in ("doc_type", "miniprogram", "domain", "preapproval", "filing")
            if request.GET.get(k)
        }
        form = DocumentUploadForm(initial=initial, operator=operator)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "documents/upload.html",
        {"operator": operator, "form": form, "next": _next_url(request)},
        status=status,
    )


@login_required
def download(request, document_id: int):
    doc = _document_or_404(request, document_id)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_event(
        AccessAction.DOCUMENT_DOWNLOADED,
        actor=request.user,
        target=doc,
        request=request,
        detail={"doc_type": doc.doc_type},
    )
    return FileResponse(
        handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type
    )


@login_required
@require_POST
def delete(request, document_id: int):
    doc = _document_or_404(request, document_id)
    operator_id = doc.operator_id
    try:
        services.document_delete(user=request.user, document=doc)
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    messages.success(request, _("Document deleted."))
    return redirect(reverse("documents:checklist", kwargs={"operator_id": operator_id}))
