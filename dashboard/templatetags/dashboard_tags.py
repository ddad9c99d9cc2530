"""Server-rendered SVG charts and small helpers for the dashboard templates."""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.http import urlencode

from compliance import service_states
from compliance.rules import rule_label as compliance_rule_label
from compliance.types import ComplianceStatus
from core.pii import mask_phone

register = template.Library()

BAR_HEIGHT = 26
LABEL_WIDTH = 205
CHART_WIDTH = 440


@register.inclusion_tag("dashboard/partials/bar_chart.html")
def bar_chart(rows, title, chart_id, total=None, links=None):
    """Horizontal bars. `rows` is a list of (label, value, css_class) tuples, or of
    (label, value, css_class, href) where a bar links to the list it counts ("" for none);
    `links`, when given, are the rows' hrefs in the same order.

    The SVG has a title and description for screen readers, and the same numbers follow as
    a table (visually hidden) so nothing depends on seeing the bars. Linked bars are links
    with a label of their own (the SVG is then a group, not an image, so they are reachable).
    """
    rows = [(*row, "")[:4] for row in rows]
    if links is not None:
        rows = [(*row[:3], href) for row, href in zip(rows, links, strict=True)]
    biggest = max([row[1] for row in rows] + [total or 0, 1])
    span = CHART_WIDTH - LABEL_WIDTH - 50
    bars = [
        {
            "label": label,
            "value": value,
            "css": css,
            "href": href,
            "y": i * BAR_HEIGHT,
            "text_y": i * BAR_HEIGHT + 17,
            "width": max(round(span * value / biggest), 1 if value else 0),
            "value_x": LABEL_WIDTH + max(round(span * value / biggest), 0) + 6,
        }
        for i, (label, value, css, href) in enumerate(rows)
    ]
    return {
        "bars": bars,
        "linked": any(b["href"] for b in bars),
        "title": title,
        "chart_id": chart_id,
        "height": max(len(rows), 1) * BAR_HEIGHT,
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
    }


@register.inclusion_tag("dashboard/partials/meter.html")
def meter(label, part, whole, meter_id):
    """One readiness bar: part of whole, with the percentage in words."""
    pct = round(100 * part / whole) if whole else None
    return {"label": label, "part": part, "whole": whole, "pct": pct, "meter_id": meter_id,
            "width": round(3 * (pct or 0))}  # fmt: skip


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (None removes one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in kwargs:
        params.pop("page", None)
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.inclusion_tag("dashboard/partials/sort_link.html", takes_context=True)
def sort_link(context, key, label):
    """A column header that sorts by `key`, toggling direction; announces the state."""
    current = context.get("sort", "")
    active = current.lstrip("-") == key
    descending = active and current.startswith("-")
    target = key if (not active or descending) else f"-{key}"
    return {
        "href": query_with(context, sort=target),
        "label": label,
        "active": active,
        "descending": descending,
    }


@register.filter
def rule_label(code):
    return compliance_rule_label(code)


@register.filter
def compliance_label(value):
    return ComplianceStatus(value).label if value in ComplianceStatus.values else value


@register.filter
def masked_phone(value):
    """Phones are personal information: shown as 139****0001 on overview pages."""
    return mask_phone(value or "")


@register.inclusion_tag("dashboard/partials/service_state.html")
def service_state(state):
    """The compliance state of a mini-program or domain: coloured badge with its label."""
    return {
        "state": state,
        "label": service_states.LABELS.get(state, state),
        "hint": service_states.HINTS.get(state, ""),
        "css": service_states.CSS.get(state, "status-not_applicable"),
    }


@register.filter
def gap_message(gap: dict) -> str:
    """A readiness gap kept with a status change, in the reader's language when it was kept
    in it (older rows have the actor's sentence only)."""
    messages = gap.get("messages") or {}
    return str(messages.get(translation.get_language()) or gap.get("message", ""))
