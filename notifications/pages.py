"""Notification centre pages: the inbox, preferences and the calendar feed link.

Only HTML pages; the models, services and the ICS feed itself belong to the notifications
engine (services/, views.py). Every read goes through notifications.selectors.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import ensure_signed_in
from accounts.types import User

from . import services
from .filters import STATE_CHOICES, NotificationFilterSet
from .models import DeliveryMode, Notification
from .selectors import calendar_feed_for_user, notification_list_for_user

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


def _notification_or_404(request, notification_id: int) -> Notification:
    obj = notification_list_for_user(user=request.user).filter(pk=notification_id).first()
    if obj is None:
        raise Http404
    return obj


@login_required
def inbox(request):
    qs = notification_list_for_user(user=request.user)
    unread = qs.filter(read_at__isnull=True).count()
    params = request.GET.copy()
    params.setdefault("state", "unread")  # the inbox opens on what is still unread
    filterset = NotificationFilterSet(data=params, queryset=qs, request=request)
    valid = filterset.is_valid()
    rows = filterset.qs if valid else qs.none()
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page_obj": page,
            "state": params["state"] if valid else "unread",
            "unread_count": unread,
            "filter_errors": [] if valid else filterset.error_messages(),
        },
    )


def _after_action(request, notification: Notification, message: str):
    if getattr(request, "htmx", False):
        # htmx swaps just the row; the rest of the page stays as it is.
        return render(request, "notifications/partials/_row.html", {"n": notification})
    messages.success(request, message)
    state = request.POST.get("state")
    state = state if state in STATES else "all"
    return redirect(f"{reverse('notification_pages:inbox')}?state={state}")


@login_required
@require_POST
def mark_read(request, notification_id: int):
    n = services.notification_mark_read(notification=_notification_or_404(request, notification_id))
    return _after_action(request, n, _("Marked as read."))


@login_required
@require_POST
def acknowledge(request, notification_id: int):
    n = services.notification_acknowledge(
        user=request.user, notification=_notification_or_404(request, notification_id)
    )
    return _after_action(request, n, _("Acknowledged: no escalation for this deadline."))


def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": token}))


def _initial_form(user: User) -> PreferenceForm:
    member = ensure_signed_in(user)
    pref = services.preference_for(user=member)
    fields = ("in_app", "email", "mode", "webhook_url")
    return PreferenceForm(
        initial={**{f: getattr(pref, f) for f in fields}, "language": member.language}
    )


def _preferences_page(request, form, *, new_feed_url: str = "", status: int = 200):
    feed = calendar_feed_for_user(user=request.user)
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "feed": feed, "new_feed_url": new_feed_url},
        status=status,
    )


@never_cache
@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
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
