"""Sections of About-screen and MIIT verifications on pages of other apps.

``{% verify_section service %}`` on a mini-program or domain page: what is due, the upload
form (editors and managers), the lookup link and query, the history with its evidence.
``{% verify_summary %}`` on the monitoring page: open verification items and recent findings
in the user's scope.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count

from accounts.access import can_edit_operator
from compliance.rules import RuleCode as R
from compliance.rules import rule_label
from compliance.selectors import item_list_for_user
from compliance.types import OPEN_STATUSES
from icp.number_parts import ICP_QUERY_URL
from miniprograms.models import MiniProgram
from monitoring.models.verify import LookupStatus, VerificationKind
from monitoring.verify import selectors
from monitoring.verify.backends import get_backend
from monitoring.verify.forms import VerificationForm
from monitoring.verify.subjects import is_filed, query_for, service_type

register = template.Library()

CODES = (R.ABOUT_SCREEN_CHECK, R.MIIT_RECORD_CHECK, R.MIIT_RECORD_MISMATCH)
HISTORY = 20


@register.inclusion_tag("monitoring/verify/_section.html", takes_context=True)
def verify_section(context: template.Context, service: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    kind = service_type(service)
    try:  # scoped again through the access door: the page's object may come from anywhere
        service = selectors.service_get_for_user(
            user=user, service_type=kind, service_id=service.pk
        )
    except selectors.ServiceNotFoundError:
        return {"visible": False}
    items = [
        {"item": item, "label": rule_label(item.rule)}
        for item in item_list_for_user(user=user)
        .filter(subject_type=kind, subject_id=service.pk, rule__in=CODES)
        .order_by("rule")
    ]
    about = isinstance(service, MiniProgram)
    can_edit = can_edit_operator(user, service.operator)
    return {
        "visible": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "service": service,
        "service_type": kind,
        "filed": is_filed(service),
        "items": items,
        "open_statuses": OPEN_STATUSES,
        "verifications": list(selectors.service_verifications(service)[:HISTORY]),
        "lookups": list(selectors.service_lookups(service)[:HISTORY]),
        "can_edit": can_edit,
        "form": VerificationForm(about_screen=about) if can_edit else None,
        "automatic": get_backend().automatic,
        "lookup_url": ICP_QUERY_URL,
        "query": query_for(service),
        "about": about,
    }


@register.inclusion_tag("monitoring/verify/_summary.html", takes_context=True)
def verify_summary(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    counts = (
        item_list_for_user(user=user)
        .filter(rule__in=CODES)
        .order_by()
        .values("rule", "status")
        .annotate(n=Count("id"))
    )
    by_rule: dict[str, dict[str, int]] = {code: {} for code in CODES}
    for row in counts:
        by_rule[row["rule"]][row["status"]] = row["n"]
    findings = list(
        selectors.lookup_list_for_user(user=user)
        .exclude(status=LookupStatus.FOUND)
        .order_by("-queried_at", "-id")[:10]
    )
    return {
        "rows": [
            {
                "rule": code,
                "label": rule_label(code),
                "open": sum(n for s, n in by_rule[code].items() if s in OPEN_STATUSES),
                "overdue": by_rule[code].get("overdue", 0),
                "total": sum(by_rule[code].values()),
            }
            for code in CODES
        ],
        "findings": findings,
        "recent": list(selectors.verification_list_for_user(user=user)[:10]),
        "kinds": VerificationKind,
    }
