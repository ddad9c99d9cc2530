"""The worklist (/work/): today's open items across the user's clients, with their owners,
snoozes and acknowledgements, actions on one or several items, and one item's history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.access import can_edit_operator, user_may_edit_somewhere
from compliance import services
from compliance.filters import (
    PRIORITY_CHOICES,
    SNOOZED_CHOICES,
    STATUS_CHOICES,
    WINDOW_CHOICES,
    ItemFilterSet,
    rule_choices,
)
from compliance.models import ComplianceItem
from compliance.worklist import annotate_rows, worklist_for_user
from core.dates import parse_query_date_or_none
from core.exceptions import ApplicationError
from reports.exports import FORMATS

from ..fixes import subject_url
from ..selectors import operator_editable_for_user, province_list, staff_list_for_user
from .common import filter_list_page, get_or_404, paginate, scope_to_org

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
MAX_CLIENT_CHOICES = 300  # more clients than this: the search box instead of a list


def _page_size(request) -> int:
    raw = request.GET.get("page_size", "")
    return int(raw) if raw.isdigit() and int(raw) in PAGE_SIZES else DEFAULT_PAGE_SIZE


def _client_choices(items) -> list[tuple[int, str]]:
    """The clients with open items, for the client filter (none when there are too many)."""
    rows = list(
        items.order_by("operator_name", "operator_id")
        .values_list("operator_id", "operator_name")
        .distinct()[: MAX_CLIENT_CHOICES + 1]
    )
    return rows if len(rows) <= MAX_CLIENT_CHOICES else []


def _assignees(user) -> list[tuple[int, str]]:
    """Members offered as owners (the service checks each one can see the client)."""
    people = {
        m.user_id: m.user.get_full_name() or m.user.username for m in staff_list_for_user(user=user)
    }
    people.setdefault(user.pk, user.get_full_name() or user.username)
    return sorted(people.items(), key=lambda p: p[1])


def _editable_operators(user, operator_ids: set[int], can_edit: bool) -> set[int]:
    """Which of the operators the user may change (one query, none for read-only users)."""
    if not can_edit or not operator_ids:
        return set()
    return set(
        operator_editable_for_user(user=user)
        .filter(pk__in=operator_ids)
        .values_list("pk", flat=True)
    )


def _list_context(request) -> dict:
    user = request.user
    items = scope_to_org(request, worklist_for_user(user=user))
    listed = filter_list_page(request, ItemFilterSet, items)
    page = paginate(request, listed.rows, per_page=_page_size(request))
    page.object_list = annotate_rows(page.object_list)
    can_edit = user_may_edit_somewhere(user=user)
    editable = _editable_operators(user, {i.operator_id for i in page.object_list}, can_edit)
    for item in page.object_list:
        item.subject_url = subject_url(item)
        item.can_edit = item.operator_id in editable
    return {
        **listed.context,
        "page_obj": page,
        "can_act": can_edit,
        "page_size": _page_size(request),
        "page_sizes": PAGE_SIZES,
        "query": request.GET.urlencode(),
        "selected_operators": request.GET.getlist("operator"),
        "export_formats": FORMATS,
        "assignees": _assignees(user) if can_edit else [],
    }


@login_required
@require_GET
def worklist(request):
    context = _list_context(request)
    context.update(
        {
            "clients": _client_choices(scope_to_org(request, worklist_for_user(user=request.user))),
            "rules": rule_choices(),
            "statuses": STATUS_CHOICES,
            "priorities": PRIORITY_CHOICES,
            "windows": WINDOW_CHOICES,
            "snoozed_choices": SNOOZED_CHOICES,
            "provinces": province_list(),
        }
    )
    if request.headers.get("HX-Request"):
        return render(request, "dashboard/worklist/_list.html", context)
    return render(request, "dashboard/worklist/list.html", context)


def _ids(request) -> list[int]:
    return [int(v) for v in request.POST.getlist("ids") if v.strip().isdigit()]


def _run_action(request) -> str:
    """Apply the posted action; the message to show. Raises Http404 when an id is not the
    user's to see, ApplicationError when the service refused (nothing changed)."""
    action = request.POST.get("action", "")
    ids = _ids(request)
    kwargs: dict = {}
    if action == services.BulkAction.ASSIGN:
        owner = request.POST.get("owner", "")
        if owner not in ("", "none") and not owner.isdigit():
            raise ApplicationError(_("Choose whom to assign the items to."))
        kwargs["owner_id"] = int(owner) if owner.isdigit() else None
    elif action == services.BulkAction.SNOOZE:
        until = parse_query_date_or_none(request.POST.get("until", ""))
        if until is None:
            raise ApplicationError(_("Say until when, as a date (YYYY-MM-DD)."))
        kwargs.update(until=until, reason=request.POST.get("reason", ""))
    try:
        done = services.items_bulk(user=request.user, action=action, item_ids=ids, **kwargs)
    except ApplicationError as e:
        if e.extra.get("not_found"):
            raise Http404(_("Not found.")) from None
        raise
    return ngettext("%(n)d item updated.", "%(n)d items updated.", len(done)) % {"n": len(done)}


@login_required
@require_POST
def worklist_action(request):
    """Assign, snooze or acknowledge the posted item ids (one row's button or the bulk form);
    editors and managers only, all or nothing. The list's filters ride in the query string:
    htmx gets the list again, other browsers a redirect to it."""
    if not user_may_edit_somewhere(user=request.user):
        raise PermissionDenied(_("You have read-only access."))
    failed = False
    try:
        messages.success(request, _run_action(request))
    except ApplicationError as e:
        failed = True
        messages.error(request, e.message)
        for pk, reason in (e.extra.get("ids") or {}).items():
            messages.error(request, f"#{pk}: {reason}")
    if request.headers.get("HX-Request"):
        response = render(request, "dashboard/worklist/_list.html", _list_context(request))
        response.status_code = 200  # a refusal is shown in the list (htmx swaps only 2xx)
        response.headers["X-Worklist-Result"] = "refused" if failed else "done"
        return response
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    query = request.GET.urlencode()
    return redirect(reverse("dashboard:worklist") + (f"?{query}" if query else ""))


@login_required
@require_GET
def worklist_item(request, item_id: int):
    """One item with its history and the actions on it."""
    item: ComplianceItem = get_or_404(
        services.item_get_for_user, user=request.user, item_id=item_id
    )
    rows = annotate_rows([item])
    item = rows[0]
    item.subject_url = subject_url(item)  # type: ignore[attr-defined]
    can_edit = item.is_open and can_edit_operator(request.user, item.operator)
    return render(
        request,
        "dashboard/worklist/item.html",
        {
            "item": item,
            "events": item.events.all(),
            "can_act": can_edit,
            "assignees": _assignees(request.user) if can_edit else [],
        },
    )
