"""Mini-programs / apps and domains: list, detail, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import can_edit_operator
from compliance import service_states
from compliance.service_states import (
    DomainComplianceFilterSet,
    MiniProgramComplianceFilterSet,
    with_domain_state,
    with_miniprogram_state,
)
from filings.selectors import filing_list_for_user
from miniprograms import services
from miniprograms.models import Lifecycle, Platform, RealNameStatus, ServiceKind
from miniprograms.selectors import (
    domain_list_for_user,
    miniprogram_list_for_user,
    person_list_for_user,
    preapproval_list_for_user,
)

from ..forms import DomainForm, MiniProgramForm
from ..selectors import operator_editable_for_user, province_list
from .common import (
    FilteredList,
    filter_list_page,
    first_or_404,
    form_context,
    paginate,
    refuse_unless_can_edit,
    require_editor,
    run_service,
    scope_to_org,
)


def _list_context(request, listed: FilteredList, **extra):
    # The operator is typed (`operator_q`), not picked from a list of every operator; an
    # `operator` id from a link shows as the chosen one (read while validating the filter).
    cleaned = getattr(listed.filterset.form, "cleaned_data", {})
    return {
        "page_obj": paginate(request, listed.rows),
        **listed.context,
        "provinces": province_list(),
        "chosen_operator": cleaned.get("operator"),
        **extra,
    }


@login_required
def miniprogram_list(request):
    qs = with_miniprogram_state(scope_to_org(request, miniprogram_list_for_user(user=request.user)))
    listed = filter_list_page(request, MiniProgramComplianceFilterSet, qs)
    return render(
        request,
        "dashboard/miniprograms/list.html",
        _list_context(
            request,
            listed,
            platforms=Platform.choices,
            kinds=ServiceKind.choices,
            lifecycles=Lifecycle.choices,
            compliance_states=service_states.state_choices(service_states.MINIPROGRAM_STATES),
        ),
    )


@login_required
def domain_list(request):
    qs = with_domain_state(scope_to_org(request, domain_list_for_user(user=request.user)))
    listed = filter_list_page(request, DomainComplianceFilterSet, qs)
    return render(
        request,
        "dashboard/domains/list.html",
        _list_context(
            request,
            listed,
            real_name_statuses=RealNameStatus.choices,
            compliance_states=service_states.state_choices(service_states.DOMAIN_STATES),
        ),
    )


def _detail(request, obj, template, kind):
    user = request.user
    related = {f"{kind}": obj}
    return render(
        request,
        template,
        {
            "object": obj,
            kind: obj,
            "service_kind": kind,
            "can_edit": can_edit_operator(user, obj.operator),
            "people": person_list_for_user(user=user).filter(**related),
            "preapprovals": preapproval_list_for_user(user=user).filter(**related),
            "filings": filing_list_for_user(user=user).filter(**related),
        },
    )


@login_required
def miniprogram_detail(request, miniprogram_id: int):
    mp = first_or_404(miniprogram_list_for_user(user=request.user), miniprogram_id)
    return _detail(request, mp, "dashboard/miniprograms/detail.html", "miniprogram")


@login_required
def domain_detail(request, domain_id: int):
    domain = first_or_404(domain_list_for_user(user=request.user), domain_id)
    return _detail(request, domain, "dashboard/domains/detail.html", "domain")


def _create(request, form_class, create, title, list_url, detail_name, id_kwarg):
    operators = operator_editable_for_user(user=request.user)
    initial = {}
    if (op := request.GET.get("operator", "")).isdigit():
        initial["operator"] = int(op)
    form = form_class(request.POST or None, operators=operators, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        operator = data.pop("operator")
        obj = run_service(
            request, form, lambda: create(user=request.user, operator=operator, **data)
        )
        if obj is not None:
            messages.success(request, _("“%(name)s” added.") % {"name": obj})
            return redirect(detail_name, **{id_kwarg: obj.pk})
    return render(
        request, "dashboard/form.html", form_context(form, title, cancel=reverse(list_url))
    )


@login_required
@require_editor
def miniprogram_create(request):
    return _create(
        request,
        MiniProgramForm,
        services.miniprogram_create,
        _("Add a mini-program or app"),
        "dashboard:miniprogram_list",
        "dashboard:miniprogram_detail",
        "miniprogram_id",
    )


@login_required
@require_editor
def domain_create(request):
    return _create(
        request,
        DomainForm,
        services.domain_create,
        _("Add a domain"),
        "dashboard:domain_list",
        "dashboard:domain_detail",
        "domain_id",
    )


def _edit(request, obj, form_class, update, fields, kind, detail_name):
    refuse_unless_can_edit(request.user, obj.operator)
    initial = {name: getattr(obj, name) for name in fields}
    form = form_class(request.POST or None, initial=initial)
    detail_url = reverse(detail_name, args=[obj.pk])
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request, form, lambda: update(user=request.user, **{kind: obj}, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect(detail_url)
    title = _("Edit %(name)s") % {"name": obj}
    return render(request, "dashboard/form.html", form_context(form, title, cancel=detail_url))


@login_required
def miniprogram_edit(request, miniprogram_id: int):
    mp = first_or_404(miniprogram_list_for_user(user=request.user), miniprogram_id)
    return _edit(
        request,
        mp,
        MiniProgramForm,
        services.miniprogram_update,
        services.MINIPROGRAM_FIELDS,
        "miniprogram",
        "dashboard:miniprogram_detail",
    )


@login_required
def domain_edit(request, domain_id: int):
    domain = first_or_404(domain_list_for_user(user=request.user), domain_id)
    return _edit(
        request,
        domain,
        DomainForm,
        services.domain_update,
        services.DOMAIN_FIELDS,
        "domain",
        "dashboard:domain_detail",
    )
