"""Filing applications: list with bulk submit, detail with timeline, create, and transitions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import can_edit_operator, can_manage_organization, user_may_edit_somewhere
from accounts.types import User
from core.exceptions import ApplicationError
from core.idempotency import key_from_request
from filings import services
from filings.filters import FilingFilterSet
from filings.models import FilingApplication, FilingKind, FilingStatus
from filings.selectors import filing_get_for_user, filing_list_for_user
from icp.channels import filing_channel_choices
from icp.workflow import REJECTED, allowed_targets
from miniprograms.selectors import domain_list_for_user, miniprogram_list_for_user
from notifications.selectors import reminder_history_for_user

from ..filing_steps import after_approval, latest_rejection, readiness_for_page
from ..forms import FilingEditForm, FilingForm, ReasonFormSet, TransitionForm
from ..selectors import operator_editable_for_user
from .common import (
    apply_service_errors,
    filter_list_page,
    form_context,
    get_or_404,
    paginate,
    refuse_unless_can_edit,
    require_editor,
    run_service,
    scope_to_org,
)

S = FilingStatus
ACTION_LABELS = {
    S.DRAFT: gettext_lazy("Back to draft for corrections"),
    S.PROVIDER_REVIEW: gettext_lazy("Submit for provider review"),
    S.PROVIDER_REJECTED: gettext_lazy("Record provider rejection"),
    S.SMS_VERIFICATION: gettext_lazy("Provider passed: start SMS verification"),
    S.AUTHORITY_REVIEW: gettext_lazy("Send to the provincial authority"),
    S.AUTHORITY_REJECTED: gettext_lazy("Record authority rejection"),
    S.APPROVED: gettext_lazy("Record approval and number"),
    S.WITHDRAWN: gettext_lazy("Withdraw the application"),
}
# Order of the buttons: forward first, then rejections, then withdrawal.
ACTION_ORDER = [S.PROVIDER_REVIEW, S.SMS_VERIFICATION, S.AUTHORITY_REVIEW, S.APPROVED,
                S.PROVIDER_REJECTED, S.AUTHORITY_REJECTED, S.DRAFT, S.WITHDRAWN]  # fmt: skip


def actions_for(user: User, filing: FilingApplication) -> list[tuple[str, str | Promise]]:
    """(to_status, label) pairs this user may take now: allowed by the table and the role."""
    if not can_edit_operator(user, filing.operator):
        return []
    allowed = allowed_targets(filing.status, kind=filing.kind, channel=filing.channel)
    return [(s, ACTION_LABELS[s]) for s in ACTION_ORDER if s in allowed]


@login_required
def filing_list(request):
    qs = scope_to_org(request, filing_list_for_user(user=request.user))
    listed = filter_list_page(request, FilingFilterSet, qs)
    return render(
        request,
        "dashboard/filings/list.html",
        {
            "page_obj": paginate(request, listed.rows),
            **listed.context,
            "statuses": S.choices,
            "kinds": FilingKind.choices,
            "channels": filing_channel_choices(),
            "bulk_enabled": user_may_edit_somewhere(user=request.user),
        },
    )


@login_required
def filing_detail(request, filing_id: int):
    filing = get_or_404(filing_get_for_user, user=request.user, filing_id=filing_id)
    history = list(filing.status_changes.all())
    return render(
        request,
        "dashboard/filings/detail.html",
        {
            "filing": filing,
            "actions": actions_for(request.user, filing),
            "history": history,
            "readiness": readiness_for_page(filing),
            "rejection": latest_rejection(filing, history),
            "approval": after_approval(filing, history),
            "comments": filing.comments.select_related("author"),
            "can_edit": can_edit_operator(request.user, filing.operator),
            "reminders": reminder_history_for_user(
                user=request.user,
                operator_id=filing.operator_id,
                subjects=[
                    ("filing", filing.pk),
                    ("miniprogram", filing.miniprogram_id or 0),
                    ("domain", filing.domain_id or 0),
                ],
            ),
        },
    )


@login_required
@require_editor
def filing_create(request):
    user = request.user
    operators = operator_editable_for_user(user=user)
    op_ids = operators.values("pk")
    initial = {k: request.GET[k] for k in ("operator", "miniprogram", "domain") if k in request.GET}
    form = FilingForm(
        request.POST or None,
        initial=initial,
        operators=operators,
        miniprograms=miniprogram_list_for_user(user=user).filter(operator__in=op_ids),
        domains=domain_list_for_user(user=user).filter(operator__in=op_ids),
    )
    if request.method == "POST" and form.is_valid():
        filing = run_service(
            request, form, lambda: services.filing_create(user=user, **form.cleaned_data)
        )
        if filing is not None:
            messages.success(
                request, _("Application #%(id)s created as a draft.") % {"id": filing.pk}
            )
            return redirect("dashboard:filing_detail", filing_id=filing.pk)
    title = _("New filing application")
    return render(
        request,
        "dashboard/form.html",
        form_context(form, title, cancel=reverse("dashboard:filing_list")),
    )


@login_required
def filing_edit(request, filing_id: int):
    filing = get_or_404(filing_get_for_user, user=request.user, filing_id=filing_id)
    refuse_unless_can_edit(request.user, filing.operator)
    fields = ("kind", "channel", "reference", "planned_for", "notes")
    form = FilingEditForm(
        request.POST or None,
        initial={name: getattr(filing, name) for name in fields},
        is_draft=filing.status == S.DRAFT,
    )
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            request,
            form,
            lambda: services.filing_update(user=request.user, filing=filing, **form.cleaned_data),
        )
        if updated is not None:
            messages.success(request, _("Changes saved."))
            return redirect("dashboard:filing_detail", filing_id=filing.pk)
    title = _("Edit application #%(id)s") % {"id": filing.pk}
    cancel = reverse("dashboard:filing_detail", kwargs={"filing_id": filing.pk})
    return render(request, "dashboard/form.html", form_context(form, title, cancel=cancel))


@login_required
@require_POST
def filing_comment(request, filing_id: int):
    filing = get_or_404(filing_get_for_user, user=request.user, filing_id=filing_id)
    refuse_unless_can_edit(request.user, filing.operator)
    try:
        services.filing_comment_add(
            user=request.user,
            filing=filing,
            body=request.POST.get("body", ""),
            idempotency_key=key_from_request(request),
        )
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Comment added."))
    return redirect(
        reverse("dashboard:filing_detail", kwargs={"filing_id": filing.pk}) + "#comments"
    )


@login_required
def filing_transition(request, filing_id: int, to_status: str):
    """GET: the confirmation step (with reasons or the number when needed). POST: apply."""
    user = request.user
    filing = get_or_404(filing_get_for_user, user=user, filing_id=filing_id)
    refuse_unless_can_edit(user, filing.operator)
    detail = reverse("dashboard:filing_detail", args=[filing.pk])
    allowed = dict(actions_for(user, filing))
    if to_status not in allowed:
        messages.error(
            request,
            _("This application is now “%(status)s”; that step is no longer possible.")
            % {"status": filing.get_status_display()},
        )
        return redirect(detail)
    data = request.POST if request.method == "POST" else None
    readiness = readiness_for_page(filing) if to_status == S.PROVIDER_REVIEW else None
    may_override = bool(readiness) and can_manage_organization(user, filing.organization_id)
    form = TransitionForm(data, to_status=to_status, may_override=may_override)
    formset = ReasonFormSet(data, prefix="reasons") if to_status in REJECTED else None
    if data is not None and form.is_valid() and (formset is None or formset.is_valid()):
        reasons = [f for f in (formset.cleaned_data if formset else []) if f]
        try:
            services.filing_transition(
                filing_id=filing.pk,
                to_status=to_status,
                actor=user,
                note=form.cleaned_data["note"],
                icp_number=form.cleaned_data.get("icp_number", ""),
                reasons=reasons,
                readiness_override=form.cleaned_data.get("readiness_override", ""),
            )
        except ValidationError as e:
            apply_service_errors(form, e)
        except services.NotReady as e:  # what was missing changed since the page was shown
            form.add_error(None, e.message)
            readiness = readiness_for_page(filing)
        except ApplicationError as e:  # conflicts (409) and refusals: say so, show the page
            messages.error(request, e.message)
            return redirect(detail)
        else:
            messages.success(
                request,
                _("Application #%(id)s is now “%(status)s”.")
                % {"id": filing.pk, "status": S(to_status).label},
            )
            return redirect(detail)
    return render(
        request,
        "dashboard/filings/transition.html",
        {
            "filing": filing,
            "to_status": to_status,
            "to_label": S(to_status).label,
            "action_label": allowed[to_status],
            "form": form,
            "formset": formset,
            "readiness": readiness,
            "may_override": may_override,
            "can_edit": True,
        },
    )


@login_required
@require_POST
def filing_bulk(request):
    """Submit several drafts at once; a first POST asks to confirm, the second applies."""
    user = request.user
    ids = [int(i) for i in request.POST.getlist("filing") if i.isdigit()]
    drafts = [
        f
        for f in filing_list_for_user(user=user).filter(pk__in=ids, status=S.DRAFT).order_by("pk")
        if can_edit_operator(user, f.operator)
    ]
    if not drafts:
        messages.error(request, _("Select at least one draft you may submit."))
        return redirect("dashboard:filing_list")
    if request.POST.get("confirm") != "yes":
        return render(request, "dashboard/filings/bulk_confirm.html", {"filings": drafts})
    done, failed = [], []
    for f in drafts:
        try:
            services.filing_transition(filing_id=f.pk, to_status=S.PROVIDER_REVIEW, actor=user,
                                       note=_("Submitted in bulk."))  # fmt: skip
            done.append(f)
        except ApplicationError as e:
            failed.append((f, e.message))
        except ValidationError as e:
            failed.append((f, getattr(e, "message", None) or "; ".join(e.messages)))
    if done:
        messages.success(
            request, _("%(n)d application(s) submitted for provider review.") % {"n": len(done)}
        )
    for f, why in failed:
        messages.error(request, _("#%(id)s was not submitted: %(why)s") % {"id": f.pk, "why": why})
    return redirect("dashboard:filing_list")
