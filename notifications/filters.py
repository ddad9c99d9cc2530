"""The notification list filter, shared by the API and the inbox page."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet

from .models import Notification

STATE_CHOICES = (
    ("all", _("All")),
    ("unread", _("Unread")),
    ("unacknowledged", _("Not acknowledged")),
)


class NotificationFilterSet(ListFilterSet):
    """`?state=all|unread|unacknowledged` (absent: all) and `?kind=`.

    The inbox page asks for `state=unread` when the URL names no state; the API does not.
    """

    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label=_("State")
    )

    class Meta:
        model = Notification
        fields = ["state", "kind"]

    def filter_state(
        self, qs: QuerySet[Notification], name: str, value: str
    ) -> QuerySet[Notification]:
        if value == "unread":
            return qs.filter(read_at__isnull=True)
        if value == "unacknowledged":
            return qs.filter(acknowledged_at__isnull=True)
        return qs
