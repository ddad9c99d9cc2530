"""Commercial ICP licences (增值电信业务经营许可证): list, detail, add, edit/renew, and
the yearly annual report with its receipt."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import can_edit_operator
from compliance.selectors import item_list_for_user
from documents.licence_reports import annual_report_record
from documents.selectors import annual_report_list_for_user
from miniprograms import services
from miniprograms.selectors import licence_list_for_user, operator_get_for_user

from ..forms import AnnualReportForm, LicenceForm
from .common import (
    first_or_404,
    form_context,
    get_or_404,
    paginate,
    refuse_unless_can_edit,
    run_service,
    scope_to_org,
)

LICENCE_RULES = ("licence_renewal", "licence_annual_report")


@login_required
def licence_list(request):
    """Every licence in scope, or one operator's (`?operator=<id>`, 404 if not the user's)."""
    user = request.user
    qs = scope_to_org(request, licence_list_for_user(user=user)).select_related(
        "operator__province"
    )
    operator = None
    if (raw := request.GET.get("operator", "")).isdigit():
        operator = get_or_404(operator_get_for_user, user=user, operator_id=int(raw))
        qs = qs.filter(operator=operator)
    qs = qs.order_by("operator__name_zh", "number", "pk")
    return render(
        request,
        "dashboard/licences/list.html",
        {"page_obj": paginate(request, qs), "operator": operator},
    )


def _licence_or_404(request, licence_id: int):
    return first_or_404(licence_list_for_user(user=request.user), licence_id)


@login_required
def licence_detail(request, licence_id: int):
    user = request.user
    licence = _licence_or_404(request, licence_id)
    items = item_list_for_user(user=user).filter(
        operator_id=licence.operator_id, subject_type="licence", subject_id=licence.pk
    )
    return render(
        request,
        "dashboard/licences/detail.html",
        {
            "licence": licence,
            "can_edit": can_edit_operator(user, licence.operator),
            "items": list(items),
            "reports": annual_report_list_for_user(user=user).filter(licence=licence),
        },
    )


def _detail_url(licence) -> str:
    return reverse("dashboard:licence_detail", args=[licence.pk])


@login_required
def licence_create(request, operator_id: int):
    user = request.user
    operator = get_or_404(operator_get_for_user, user=user, operator_id=operator_id)
    refuse_unless_can_edit(user, operator)
    form = LicenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        licence = run_service(
            request,
            form,
            lambda: services.licence_create(user=user, operator=operator, **form.cleaned_data),
        )
        if licence is not None:
            messages.success(request, _("Licence %(number)s added.") % {"number": licence.number})
            return redirect(_detail_url(licence))
    title = _("Add an ICP licence to %(name)s") % {"name": operator.name_zh}
    cancel = reverse("dashboard:operator_detail", args=[operator.pk])
    return render(request, "dashboard/form.html", form_context(form, title, cancel=cancel))


@login_required
def licence_edit(request, licence_id: int):
    """Correct a licence or renew it (its new validity dates close the renewal reminder)."""
    user = request.user
    licence = _licence_or_404(request, licence_id)
    refuse_unless_can_edit(user, licence.operator)
    initial = {name: getattr(licence, name) for name in services.LICENCE_FIELDS}
    form = LicenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.licence_update(user=user, licence=licence, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect(_detail_url(licence))
    title = _("Edit or renew licence %(number)s") % {"number": licence.number}
    return render(
        request, "dashboard/form.html", form_context(form, title, cancel=_detail_url(licence))
    )


@login_required
def licence_annual_report(request, licence_id: int):
    """Record one year's annual report with its receipt (closes an overdue report item)."""
    user = request.user
    licence = _licence_or_404(request, licence_id)
    refuse_unless_can_edit(user, licence.operator)
    form = AnnualReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = run_service(
            request,
            form,
            lambda: annual_report_record(user=user, licence=licence, **form.cleaned_data),
        )
        if report is not None:
            messages.success(
                request, _("The %(year)d annual report is recorded.") % {"year": report.year}
            )
            return redirect(_detail_url(licence))
    title = _("Record an annual report of licence %(number)s") % {"number": licence.number}
    return render(
        request, "dashboard/form.html", form_context(form, title, cancel=_detail_url(licence))
    )
