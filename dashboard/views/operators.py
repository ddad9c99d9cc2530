"""Operators (主办单位): list, detail (their overview), create, edit, responsible persons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import can_edit_operator, can_reveal_pii, create_refusal_reason
from accounts.switcher import current_organization_id
from compliance.selectors import is_today
from compliance.service_states import with_domain_state, with_miniprogram_state
from filings.selectors import filing_list_for_user
from miniprograms import services
from miniprograms.filters import OperatorFilterSet, with_service_count
from miniprograms.models import EntityType, PersonRole
from miniprograms.selectors import (
    domain_list_for_user,
    licence_list_for_user,
    miniprogram_list_for_user,
    operator_get_for_user,
    operator_list_for_user,
    person_list_for_user,
    preapproval_list_for_user,
)
from notifications.selectors import reminder_history_for_user

from .. import compliance
from ..forms import OperatorForm, PersonEditForm, PersonForm, PreApprovalForm
from ..selectors import (
    is_set_up,
    operator_setup_counts,
    organization_editable_for_user,
    province_list,
    setup_steps,
)
from .common import (
    filter_list_page,
    first_or_404,
    form_context,
    get_or_404,
    paginate,
    parse_as_of,
    refuse_unless_can_edit,
    require_editor,
    run_service,
    scope_to_org,
)


@login_required
def operator_list(request):
    qs = scope_to_org(request, operator_list_for_user(user=request.user))
    listed = filter_list_page(request, OperatorFilterSet, with_service_count(qs))
    return render(
        request,
        "dashboard/operators/list.html",
        {
            "page_obj": paginate(request, listed.rows),
            **listed.context,
            "provinces": province_list(),
            "entity_types": EntityType.choices,
        },
    )


@login_required
def operator_detail(request, operator_id: int):
    """One client's overview: register, applications and compliance items."""
    user = request.user
    operator = get_or_404(operator_get_for_user, user=user, operator_id=operator_id)
    as_of = parse_as_of(request)
    items, summary = compliance.operator_compliance(
        user=user, operator=operator, as_of=as_of, today=is_today(as_of)
    )
    # Loaded once: listed by the page and counted by its setup checklist.
    register: dict[str, Any] = {
        "people": list(person_list_for_user(user=user).filter(operator=operator)),
        "miniprograms": list(
            with_miniprogram_state(miniprogram_list_for_user(user=user).filter(operator=operator))
        ),
        "domains": list(
            with_domain_state(domain_list_for_user(user=user).filter(operator=operator))
        ),
        "preapprovals": list(
            preapproval_list_for_user(user=user)
            .filter(operator=operator)
            .order_by("category", "pk")
        ),
        "filings": list(filing_list_for_user(user=user).filter(operator=operator)[:20]),
    }
    steps = setup_steps(operator_setup_counts(operator=operator, **register))
    context = {
        "operator": operator,
        "as_of": as_of,
        "can_edit": can_edit_operator(user, operator),
        "can_reveal": can_reveal_pii(user),
        **register,
        "licences": licence_list_for_user(user=user).filter(operator=operator),
        "items": items,
        "summary": summary,
        "reminders": reminder_history_for_user(user=user, operator_id=operator.pk),
        "setup_steps": [(step, _setup_link(operator, step.key)) for step in steps],
        "set_up": is_set_up(steps),
    }
    return render(request, "dashboard/operators/detail.html", context)


@login_required
@require_editor
def operator_create(request):
    organizations = organization_editable_for_user(user=request.user)
    chosen = current_organization_id(request)
    initial = {"organization": chosen} if chosen else {}
    form = OperatorForm(request.POST or None, organizations=organizations, initial=initial)
    if not organizations.exists():
        messages.error(
            request,
            " ".join(
                (
                    _("Only managers and editors of the organization can add operators."),
                    create_refusal_reason(request.user),
                )
            ),
        )
        return redirect("dashboard:operator_list")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organization")
        province = data.pop("province")
        op = run_service(
            request,
            form,
            lambda: services.operator_create(
                user=request.user, organization_id=org.pk, province=province, **data
            ),
        )
        if op is not None:
            messages.success(request, _("Operator “%(name)s” added.") % {"name": op.name_zh})
            return redirect("dashboard:operator_detail", operator_id=op.pk)
    return render(
        request,
        "dashboard/form.html",
        form_context(form, _("Add an operator"), cancel=reverse("dashboard:operator_list")),
    )


@login_required
def operator_edit(request, operator_id: int):
    operator = get_or_404(operator_get_for_user, user=request.user, operator_id=operator_id)
    refuse_unless_can_edit(request.user, operator)
    initial = {name: getattr(operator, name) for name in services.OPERATOR_FIELDS}
    form = OperatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            request,
            form,
            lambda: services.operator_update(
                user=request.user, operator=operator, **form.cleaned_data
            ),
        )
        if updated is not None:
            messages.success(request, _("Changes saved."))
            return redirect("dashboard:operator_detail", operator_id=operator.pk)
    return render(
        request,
        "dashboard/form.html",
        form_context(
            form, _("Edit %(name)s") % {"name": operator.name_zh}, cancel=_detail_url(operator)
        ),
    )


def _setup_link(operator, key: str) -> str:
    """The form that completes one setup step."""
    if key == "entity_person":
        return reverse("dashboard:person_create", args=[operator.pk]) + "?role=entity"
    if key == "service":
        return reverse("dashboard:miniprogram_create") + f"?operator={operator.pk}"
    if key == "materials":
        return reverse("documents:checklist", args=[operator.pk])
    return reverse("dashboard:filing_create") + f"?operator={operator.pk}"


def _person_initial(request) -> dict:
    """`?role=`, `?miniprogram=<id>` or `?domain=<id>` from a service page's link."""
    initial: dict = {}
    role = request.GET.get("role", "")
    if role in PersonRole.values:
        initial["role"] = role
    for name in ("miniprogram", "domain"):
        if (value := request.GET.get(name, "")).isdigit():
            initial[name] = int(value)
            initial["role"] = PersonRole.SERVICE
    return initial


@login_required
def person_create(request, operator_id: int):
    return _operator_child_form(
        request,
        operator_id,
        form_class=PersonForm,
        service=services.person_create,
        success=_("Responsible person added."),
        title=_("Add a responsible person to %(name)s"),
        initial=_person_initial(request),
    )


@login_required
def person_edit(request, operator_id: int, person_id: int):
    """Edit a responsible person, e.g. record a renewed ID document (new expiry date and, if
    it changed, the new number: blank keeps the recorded one)."""
    user = request.user
    operator = get_or_404(operator_get_for_user, user=user, operator_id=operator_id)
    person = first_or_404(person_list_for_user(user=user).filter(operator=operator), person_id)
    refuse_unless_can_edit(user, operator)
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    form = PersonEditForm(
        request.POST or None,
        initial=initial,
        masked_number=person.id_number_masked,
        miniprograms=miniprogram_list_for_user(user=user).filter(operator=operator),
        domains=domain_list_for_user(user=user).filter(operator=operator),
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.person_update(user=user, person=person, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": saved.name})
            return redirect("dashboard:operator_detail", operator_id=operator.pk)
    title = _("Edit responsible person %(name)s") % {"name": person.name}
    return render(
        request, "dashboard/form.html", form_context(form, title, cancel=_detail_url(operator))
    )


def _detail_url(operator) -> str:
    return reverse("dashboard:operator_detail", kwargs={"operator_id": operator.pk})


@login_required
def preapproval_create(request, operator_id: int):
    """Record a pre-approval (前置审批) licence for the operator or one of its services."""
    return _operator_child_form(
        request,
        operator_id,
        form_class=PreApprovalForm,
        service=services.preapproval_create,
        success=_("Pre-approval recorded."),
        title=_("Record a pre-approval for %(name)s"),
    )


@login_required
def preapproval_edit(request, preapproval_id: int):
    """Change or renew a pre-approval: a new expiry date closes its expiry reminder."""
    user = request.user
    pa = first_or_404(preapproval_list_for_user(user=user), preapproval_id)
    operator = pa.operator
    refuse_unless_can_edit(user, operator)
    initial = {name: getattr(pa, name) for name in services.PREAPPROVAL_FIELDS}
    form = PreApprovalForm(
        request.POST or None,
        initial=initial,
        miniprograms=miniprogram_list_for_user(user=user).filter(operator=operator),
        domains=domain_list_for_user(user=user).filter(operator=operator),
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            form,
            lambda: services.preapproval_update(user=user, preapproval=pa, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect("dashboard:operator_detail", operator_id=operator.pk)
    title = _("Edit pre-approval %(category)s") % {"category": pa.category}
    return render(
        request, "dashboard/form.html", form_context(form, title, cancel=_detail_url(operator))
    )


def _operator_child_form(
    request, operator_id: int, *, form_class, service, success, title, initial=None
):
    """A form adding something to one operator, offered only to those who may edit it."""
    user = request.user
    operator = get_or_404(operator_get_for_user, user=user, operator_id=operator_id)
    refuse_unless_can_edit(user, operator)
    # Links from a service page or an application's readiness list pre-fill the role and
    # the service.
    initial = {**_person_initial(request), **(initial or {})}
    form = form_class(
        request.POST or None,
        initial=initial,
        miniprograms=miniprogram_list_for_user(user=user).filter(operator=operator),
        domains=domain_list_for_user(user=user).filter(operator=operator),
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request, form, lambda: service(user=user, operator=operator, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, success)
            return redirect("dashboard:operator_detail", operator_id=operator.pk)
    heading = title % {"name": operator.name_zh}
    return render(
        request, "dashboard/form.html", form_context(form, heading, cancel=_detail_url(operator))
    )
