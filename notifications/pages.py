"""Notification centre pages: the list of notifications, preferences and the calendar link.

The centre has one action, Acknowledge (one row, or the ticked rows at once); every htmx
answer to it carries the header's unread count as an out-of-band swap.

Only HTML pages; the models, services and the ICS feed itself belong to the notifications
engine (services/, views.py). Every read goes through notifications.selectors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import can_use_personal_webhook, ensure_signed_in
from accounts.types import User

from . import services
from .content import in_app_message
from .filters import STATE_CHOICES, NotificationFilterSet
from .links import item_url
from .models import DeliveryMode, Notification
from .selectors import (
    calendar_feed_for_user,
    notification_client_list_for_user,
    notification_list_for_user,
    notification_unread_count,
)

STATES = tuple(value for value, _label in STATE_CHOICES)  # the inbox filter's states


class PreferenceForm(forms.Form):
    in_app = forms.BooleanField(label=gettext_lazy("In the app"), required=False)
    email = forms.BooleanField(label=gettext_lazy("By e-mail"), required=False)
    mode = forms.ChoiceField(label=gettext_lazy("E-mail delivery"), choices=DeliveryMode.choices)
    webhook_url = forms.CharField(
        label=gettext_lazy("Personal webhook (apprise URL)"),
        required=False,
        help_text=gettext_lazy("Empty: none."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, offer_webhook: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not offer_webhook:  # the organization does not offer it to this role
            del self.fields["webhook_url"]


def _notification_or_404(request, notification_id: int) -> Notification:
    obj = notification_list_for_user(user=request.user).filter(pk=notification_id).first()
    if obj is None:
        raise Http404
    return obj


ORDER = ("-created_at", "-id")  # Notification.Meta.ordering
GROUPS = ("client",)  # `?group=client`: rows grouped under their client
PAGE_SIZE = 25
LIST_PARAMS = ("state", "operator", "group", "page")  # carried by the bulk form


def _with_row_fields(n: Any) -> Any:
    """What a row shows besides the model: the item's link and the sentence, both without a
    query (the reminder and its operator come with the row)."""
    n.item_url = item_url(n.reminder)
    n.text = in_app_message(n.reminder)
    return n


def _listing(request, data) -> dict:
    """The notification centre's rows for the query `data` (GET, or the bulk form's copy)."""
    user = request.user
    qs = notification_list_for_user(user=user)
    params = data.copy()
    params.setdefault("state", "unread")  # the centre opens on what is still unread
    filterset = NotificationFilterSet(data=params, queryset=qs, request=request)
    valid = filterset.is_valid()
    rows = (filterset.qs if valid else qs.none()).select_related("reminder__operator")
    group = params.get("group") if params.get("group") in GROUPS else ""
    if group:
        rows = rows.order_by("reminder__operator__name_zh", "reminder__operator_id", *ORDER)
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    for n in page.object_list:
        _with_row_fields(n)
    state = params["state"] if valid else "unread"
    operator = params.get("operator", "") if valid else ""
    return {
        "page_obj": page,
        "state": state,
        "operator": operator,
        "group": group,
        "query": urlencode(
            [(k, v) for k, v in (("state", state), ("operator", operator), ("group", group)) if v]
        ),
        "unread_count": notification_unread_count(user=user),
        "filter_errors": [] if valid else filterset.error_messages(),
    }


@login_required
def inbox(request):
    context = _listing(request, request.GET)
    context["states"] = STATE_CHOICES
    context["clients"] = notification_client_list_for_user(user=request.user)
    return render(request, "notifications/inbox.html", context)


def _back_to_inbox(request):
    params = {k: request.POST[k] for k in LIST_PARAMS if request.POST.get(k)}
    if params.get("state") not in STATES:
        params["state"] = "all"
    return redirect(f"{reverse('notification_pages:inbox')}?{urlencode(params)}")


@login_required
@require_POST
def acknowledge(request, notification_id: int):
    n = services.notification_acknowledge(
        user=request.user, notification=_notification_or_404(request, notification_id)
    )
    if request.htmx:
        # The row, and the header's unread count swapped out of band.
        return render(
            request,
            "notifications/partials/_acknowledged.html",
            {
                "n": _with_row_fields(n),
                "unread_count": notification_unread_count(user=request.user),
            },
        )
    messages.success(request, _("Acknowledged."))
    return _back_to_inbox(request)


def _selected_ids(request) -> list[int] | None:
    """The ticked notification ids, or None when one is not a number."""
    values = request.POST.getlist("notification")
    if not all(v.isdigit() for v in values):
        return None
    return sorted({int(v) for v in values})


@login_required
@require_POST
def acknowledge_bulk(request):
    """Acknowledge the ticked rows. Any id that is not the user's own notification (missing,
    or someone else's) answers 404 and nothing is acknowledged."""
    ids = _selected_ids(request)
    if ids is None:
        return HttpResponseBadRequest(_("Invalid notification id."))
    done = 0
    if ids:
        chosen = list(notification_list_for_user(user=request.user).filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise Http404
        done = services.notification_acknowledge_many(user=request.user, notifications=chosen)
    note = (
        ngettext("%(n)d notification acknowledged.", "%(n)d notifications acknowledged.", done)
        % {"n": done}
        if ids
        else _("Select the notifications to acknowledge first.")
    )
    if request.htmx:
        context = _listing(request, request.POST)
        context["bulk_note"] = note
        return render(request, "notifications/partials/_centre.html", context)
    (messages.success if ids else messages.warning)(request, note)
    return _back_to_inbox(request)


def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": token}))


def _initial_form(user: User) -> PreferenceForm:
    member = ensure_signed_in(user)
    pref = services.preference_for(user=member)
    fields = ("in_app", "email", "mode", "webhook_url")
    return PreferenceForm(
        initial={**{f: getattr(pref, f) for f in fields}, "language": member.language},
        offer_webhook=can_use_personal_webhook(member),
    )


def _preferences_page(request, form, *, new_feed_url: str = "", status: int = 200):
    feed = calendar_feed_for_user(user=request.user)
    pref = services.preference_for(user=ensure_signed_in(request.user))
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "feed": feed,
            "new_feed_url": new_feed_url,
            "webhook_removed_reason": pref.webhook_removed_reason,
        },
        status=status,
    )


@never_cache
@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST, offer_webhook=can_use_personal_webhook(request.user))
        if form.is_valid():
            try:
                services.preference_update(user=request.user, **form.cleaned_data)
            except ValidationError as e:
                for field, errors in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Preferences saved."))
                return redirect("notification_pages:preferences")
        return _preferences_page(request, form, status=400)
    return _preferences_page(request, _initial_form(request.user))


@never_cache
@login_required
@require_POST
def feed_regenerate(request):
    """Shows the new secret URL once, in this response; only its hash is stored."""
    had_feed = calendar_feed_for_user(user=request.user) is not None
    token = services.calendar_feed_regenerate(user=request.user)
    if had_feed:
        messages.success(request, _("New calendar link created; the old one no longer works."))
    else:
        messages.success(request, _("Calendar link created."))
    return _preferences_page(
        request, _initial_form(request.user), new_feed_url=_feed_url(request, token)
    )


@login_required
@require_POST
def feed_revoke(request):
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Calendar link revoked."))
    return redirect("notification_pages:preferences")
