"""Helpers shared by the dashboard views: organization switcher, paging, sorting, errors."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can_edit_operator, operator_refusal_reason, user_may_edit_somewhere
from accounts.switcher import current_organization_id
from core.dates import parse_query_date_or_none
from core.exceptions import ApplicationError, PermissionDeniedError
from core.filters import ListFilterSet
from miniprograms.ownership import filter_by_organization

PAGE_SIZE = 25


def scope_to_org(request, qs):
    """Narrow `qs` to the switcher's organization, read as the scope reads it (the operator's)."""
    org_id = current_organization_id(request)
    return filter_by_organization(qs, org_id) if org_id else qs


def get_or_404(getter: Callable, **kwargs):
    """Call a `<entity>_get_for_user` selector; missing and not-yours both become 404."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise Http404(_("Not found.")) from None


def first_or_404(qs, pk: int):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404(_("Not found."))
    return obj


def parse_as_of(request) -> datetime.date:
    """`?as_of=YYYY-MM-DD`; an invalid value falls back to today with a message."""
    today = timezone.localdate()
    raw = (request.GET.get("as_of") or "").strip()
    if not raw:
        return today
    value = parse_query_date_or_none(raw)
    if value is None:
        messages.error(
            request,
            _("“%(value)s” is not a date; use the form YYYY-MM-DD. Showing today instead.")
            % {"value": raw},
        )
        return today
    return value


@dataclass(frozen=True)
class FilteredList:
    """A list page's rows after its FilterSet, and what the page shows about the query."""

    rows: QuerySet[Any]
    filterset: ListFilterSet
    errors: list[str]

    @property
    def context(self) -> dict[str, Any]:
        """`q`, `sort`, `filters` (the query as understood) and `filter_errors` for templates."""
        data = self.filterset.data
        return {
            "q": (data.get("q") or "").strip(),
            "sort": self.filterset.sort_value(),
            "filters": data,
            "filter_errors": self.errors,
        }


def filter_list_page(
    request: HttpRequest, filterset_class: type[ListFilterSet], queryset: QuerySet[Any]
) -> FilteredList:
    """Filter a page's scoped queryset with the same FilterSet as its API and export.

    Invalid input (an unknown sort key, another tenant's operator, a bad choice) shows no
    rows and a message naming the field, like the API's 400: never a silently wider list.
    """
    filterset = filterset_class(data=request.GET, queryset=queryset, request=request)
    if filterset.is_valid():
        return FilteredList(filterset.qs, filterset, [])
    return FilteredList(queryset.none().order_by("pk"), filterset, filterset.error_messages())


def paginate(request, items, per_page: int = PAGE_SIZE):
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))


def apply_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names; the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


def run_service(request, form, call: Callable):
    """Run a service; on failure attach its errors to the form or show a message.

    Returns the service result, or None when it refused (the form is then re-rendered).
    """
    try:
        return call()
    except ValidationError as e:
        apply_service_errors(form, e)
    except PermissionDeniedError as e:
        messages.error(request, e.message)
    except ApplicationError as e:
        messages.error(request, e.message)
    return None


def refuse_unless_can_edit(user, operator) -> None:
    """403 for users who may see `operator` but not change it (viewers, clients, editors
    limited to other clients), saying which of these they are; nothing is changed."""
    if not can_edit_operator(user, operator):
        raise PermissionDenied(
            " ".join(
                (
                    _("You have read-only access to this operator."),
                    operator_refusal_reason(user, operator),
                )
            )
        )


def form_context(form, title, *, cancel: str = "", **extra):
    return {"form": form, "title": title, "cancel": cancel, **extra}


def require_editor(view):
    """Viewers and clients never get create forms: 403 before anything is shown."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not user_may_edit_somewhere(user=request.user):
            raise PermissionDenied(
                " ".join(
                    (
                        _("You have read-only access."),
                        operator_refusal_reason(request.user, None),
                    )
                )
            )
        return view(request, *args, **kwargs)

    return wrapped
