"""Pages of provider notices and record changes: thin views over the selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import can_edit_operator
from accounts.switcher import current_organization_id
from audit.actions import AccessAction
from audit.services import record_event
from core.exceptions import ApplicationError, PermissionDeniedError
from miniprograms.models import Domain
from miniprograms.ownership import filter_by_organization
from miniprograms.services.record import record_state_change

from ..models import NoticeProvider, NoticeState, ProviderNotice
from ..notices import selectors, services
from ..notices.forms import (
    RECORD_FORM_PREFIX,
    NoteForm,
    NoticeForm,
    RecordChangeForm,
    ResolveForm,
)

PAGE_SIZE = 50


def _or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise Http404(_("Not found.")) from None


def _service_url(service) -> str:
    if isinstance(service, Domain):
        return reverse("dashboard:domain_detail", args=[service.pk])
    return reverse("dashboard:miniprogram_detail", args=[service.pk])


def _attach(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        form.add_error(None, error)


def _run(request: HttpRequest, form, call) -> Any:
    """The service's result, or None after attaching its refusal to the form or a message."""
    try:
        return call()
    except ValidationError as e:
        _attach(form, e)
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except ApplicationError as e:
        messages.error(request, e.message)
    return None


# --- list and export ---------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[QuerySet[ProviderNotice], dict[str, str]]:
    qs = selectors.notice_list_for_user(user=request.user)
    org_id = current_organization_id(request)
    if org_id:
        qs = filter_by_organization(qs, org_id)
    filters = {k: (request.GET.get(k) or "").strip() for k in ("state", "provider", "q")}
    if filters["state"] in NoticeState.values:
        qs = qs.filter(state=filters["state"])
    elif filters["state"] == "unresolved":
        qs = selectors.unresolved_notices(qs)
    if filters["provider"] in NoticeProvider.values:
        qs = qs.filter(provider=filters["provider"])
    if filters["q"]:
        q = filters["q"]
        qs = qs.filter(
            Q(operator__name_zh__icontains=q)
            | Q(domain__name__icontains=q)
            | Q(miniprogram__name__icontains=q)
            | Q(provider_name__icontains=q)
        )
    return qs, filters


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    qs, filters = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/notices/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "states": NoticeState.choices,
            "providers": NoticeProvider.choices,
            "export_query": request.GET.urlencode(),
        },
    )


# --- one notice --------------------------------------------------------------------------


def _detail(request: HttpRequest, notice: ProviderNotice, *, status: int = 200, **forms_):
    return render(
        request,
        "monitoring/notices/detail.html",
        {
            "notice": notice,
            "can_edit": can_edit_operator(request.user, notice.operator),
            "resolve_form": forms_.get("resolve_form") or ResolveForm(notice=notice),
            "withdraw_form": forms_.get("withdraw_form") or NoteForm(prefix="withdraw"),
            "keep_form": forms_.get("keep_form") or NoteForm(prefix="keep"),
            "service_url": _service_url(notice.service),
        },
        status=status,
    )


@login_required
@require_GET
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _or_404(selectors.notice_get_for_user, user=request.user, notice_id=notice_id)
    return _detail(request, notice)


@login_required
def notice_create(request: HttpRequest, kind: str, service_id: int) -> HttpResponse:
    service = _or_404(
        selectors.service_get_for_user, user=request.user, kind=kind, service_id=service_id
    )
    if not can_edit_operator(request.user, service.operator):
        raise PermissionDenied(_("You have read-only access to this operator."))
    form = NoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        notice = _run(
            request,
            form,
            lambda: services.notice_record(
                user=request.user,
                service=service,
                provider=data["provider"],
                provider_name=data["provider_name"],
                received_at=data["received_at"],
                deadline_at=data["deadline_at"],
                fields_to_fix=form.cleaned_fields_to_fix(),
                note=data["note"],
                evidence=data["evidence"],
            ),
        )
        if notice is not None:
            messages.success(request, _("Notice recorded."))
            return redirect("monitoring:notice_detail", notice_id=notice.pk)
    return render(
        request,
        "monitoring/notices/form.html",
        {"form": form, "service": service, "cancel": _service_url(service)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def notice_resolve(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _or_404(selectors.notice_get_for_user, user=request.user, notice_id=notice_id)
    form = ResolveForm(request.POST, request.FILES, notice=notice)
    if form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            form,
            lambda: services.notice_resolve(
                user=request.user,
                notice=notice,
                note=data["note"],
                fix_filing=data["fix_filing"],
                evidence=data["evidence"],
            ),
        )
        if done is not None:
            messages.success(request, _("Notice resolved."))
            return redirect("monitoring:notice_detail", notice_id=notice.pk)
    return _detail(request, notice, status=400, resolve_form=form)


def _note_action(request: HttpRequest, notice_id: int, *, prefix: str, call, done: str):
    notice = _or_404(selectors.notice_get_for_user, user=request.user, notice_id=notice_id)
    form = NoteForm(request.POST, prefix=prefix)
    if form.is_valid():
        result = _run(
            request,
            form,
            lambda: call(user=request.user, notice=notice, note=form.cleaned_data["note"]),
        )
        if result is not None:
            messages.success(request, done)
            return redirect("monitoring:notice_detail", notice_id=notice.pk)
    return _detail(request, notice, status=400, **{f"{prefix}_form": form})


@login_required
@require_POST
def notice_withdraw(request: HttpRequest, notice_id: int) -> HttpResponse:
    return _note_action(
        request,
        notice_id,
        prefix="withdraw",
        call=services.notice_withdraw,
        done=_("Notice withdrawn."),
    )


@login_required
@require_POST
def notice_keep_access(request: HttpRequest, notice_id: int) -> HttpResponse:
    return _note_action(
        request,
        notice_id,
        prefix="keep",
        call=services.notice_keep_access,
        done=_("Recorded: the provider keeps access."),
    )


def _download(request: HttpRequest, target, field, name: str, content_type: str, detail):
    if not field:
        raise Http404(_("Not found."))
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404(_("Not found.")) from None
    record_event(
        AccessAction.DOCUMENT_DOWNLOADED,
        actor=request.user,
        target=target,
        request=request,
        detail=detail,
    )
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


@login_required
@require_GET
def notice_evidence(request: HttpRequest, notice_id: int, which: str) -> FileResponse:
    """The notice's evidence (`which` = "notice") or its fix's ("fix"); access-checked and
    recorded in the audit log."""
    notice = _or_404(selectors.notice_get_for_user, user=request.user, notice_id=notice_id)
    if which == "fix":
        return _download(
            request,
            notice,
            notice.fix_evidence,
            notice.fix_evidence_name,
            notice.fix_evidence_type,
            {"evidence": "notice_fix"},
        )
    if which != "notice":
        raise Http404(_("Not found."))
    return _download(
        request,
        notice,
        notice.evidence,
        notice.evidence_name,
        notice.evidence_type,
        {"evidence": "notice"},
    )


# --- record changes ----------------------------------------------------------------------


@login_required
@require_POST
def record_change_create(request: HttpRequest, kind: str, service_id: int) -> HttpResponse:
    service = _or_404(
        selectors.service_get_for_user, user=request.user, kind=kind, service_id=service_id
    )
    form = RecordChangeForm(request.POST, request.FILES, prefix=RECORD_FORM_PREFIX)
    if form.is_valid():
        data = form.cleaned_data
        change = _run(
            request,
            form,
            lambda: record_state_change(
                service=service,
                to_state=data["to_state"],
                source=data["source"],
                actor=request.user,
                effective_on=data["effective_on"],
                note=data["note"],
                evidence=data["evidence"],
            ),
        )
        if change is not None:
            messages.success(request, _("Record state changed."))
        elif not form.errors:
            messages.info(request, _("The record state is already that; nothing changed."))
    for field, errors in form.errors.items():
        for e in errors:
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {e}" if label else str(e))
    return redirect(_service_url(service) + "#service-record")


@login_required
@require_GET
def record_evidence(request: HttpRequest, change_id: int) -> FileResponse:
    change = _or_404(selectors.record_change_get_for_user, user=request.user, change_id=change_id)
    return _download(
        request,
        change,
        change.evidence,
        change.evidence_name,
        change.evidence_type,
        {"evidence": "record_change"},
    )
