"""Sections other pages include: a service's record and notices, the notices summary.

`{% service_record domain %}` on the domain and mini-program pages; `{% notices_summary %}`
on the monitoring page. Both read through the user's scope (accounts.access).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Min, Q
from django.utils import timezone

from accounts.access import can_edit_operator
from accounts.switcher import current_organization_id
from miniprograms.models import Domain, RecordState
from miniprograms.ownership import filter_by_organization

from ..models import NoticeState
from ..notices import selectors
from ..notices.forms import RECORD_FORM_PREFIX, RecordChangeForm

register = template.Library()
HISTORY_SIZE = 20


@register.inclusion_tag("monitoring/notices/_service_record.html", takes_context=True)
def service_record(context: template.Context, service: Any) -> dict[str, Any]:
    """The service's record state with its history, its notices, and (for editors) the forms."""
    user = context["request"].user
    kind = "domain" if isinstance(service, Domain) else "miniprogram"
    notices = selectors.notices_for_service(user=user, service=service)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "service": service,
        "kind": kind,
        "record_state_label": RecordState(service.record_state).label,
        "history": list(
            selectors.record_changes_for_service(user=user, service=service)[:HISTORY_SIZE]
        ),
        "open_notices": list(selectors.unresolved_notices(notices)),
        "closed_count": notices.exclude(
            state__in=[NoticeState.OPEN, NoticeState.ACCESS_CANCELLED]
        ).count(),
        "can_edit": can_edit_operator(user, service.operator),
        "form": RecordChangeForm(
            initial={"effective_on": timezone.localdate(), "source": "manual"},
            prefix=RECORD_FORM_PREFIX,
        ),
    }


@register.inclusion_tag("monitoring/notices/_summary.html", takes_context=True)
def notices_summary(context: template.Context) -> dict[str, Any]:
    """Unresolved notices of the organization in the switcher: how many, missed, next deadline."""
    request = context["request"]
    qs = selectors.notice_list_for_user(user=request.user)
    org_id = current_organization_id(request)
    if org_id:
        qs = filter_by_organization(qs, org_id)
    now = timezone.now()
    figures = qs.order_by().aggregate(
        open=Count("pk", filter=Q(state=NoticeState.OPEN)),
        missed=Count("pk", filter=Q(state=NoticeState.OPEN, deadline_at__lte=now)),
        access_cancelled=Count("pk", filter=Q(state=NoticeState.ACCESS_CANCELLED)),
        next_deadline=Min("deadline_at", filter=Q(state=NoticeState.OPEN, deadline_at__gt=now)),
    )
    return {"figures": figures}
