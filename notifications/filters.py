"""The notification list filter, shared by the API and the inbox page."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, ScopedModelChoiceFilter
from miniprograms.models import Operator
from miniprograms.selectors import operator_list_for_user

from .models import Notification

STATE_CHOICES = (
    ("all", _("All")),
    ("unread", _("Unread")),
    ("unacknowledged", _("Not acknowledged")),
)


class NotificationFilterSet(ListFilterSet):
    """`?state=all|unread|unacknowledged` (absent: all), `?kind=` and `?operator=` (the
    client the notification is about; another tenant's id is refused like a missing one).

    The inbox page asks for `state=unread` when the URL names no state; the API does not.
    """

    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", label=_("State")
    )
    operator = ScopedModelChoiceFilter(
        field_name="reminder__operator",
        scope=operator_list_for_user,
        model=Operator,
        label=_("Client"),
    )

    class Meta:
        model = Notification
        fields = ["state", "kind", "operator"]

    def filter_state(
        self, qs: QuerySet[Notification], name: str, value: str
    ) -> QuerySet[Notification]:
        if value == "unread":
            return qs.filter(read_at__isnull=True)
        if value == "unacknowledged":
            return qs.filter(acknowledged_at__isnull=True)
        return qs
