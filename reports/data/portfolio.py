"""The portfolio report: every operator the user sees, with totals and a chart."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from html import escape

from accounts.types import User
from filings.models import FilingStatus
from miniprograms import selectors as register

from .compliance import attach_compliance, compliance_facts
from .lines import NO_APPLICATION, service_lines, status_label


def _bar_chart_svg(counts: list[tuple[str, int]], *, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG (no external fonts or images)."""
    bar_h, gap, label_w = 18, 6, 200
    total_h = max(1, len(counts)) * (bar_h + gap) + gap
    top = max((n for _, n in counts), default=0) or 1
    palette = ["#2f6fab", "#3c8d5a", "#c58b1b", "#b23b3b", "#6b5ca5", "#4a8f99", "#7f7f7f"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h}" '
        f'viewBox="0 0 {width} {total_h}" class="chart">'
    ]
    for i, (label, n) in enumerate(counts):
        y = gap + i * (bar_h + gap)
        w = round((width - label_w - 60) * n / top)
        colour = palette[i % len(palette)]
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="10">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{bar_h}" '
            f'fill="{colour}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 13}" font-size="10">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def portfolio_context(*, user: User, as_of: datetime.date, progress=None) -> dict:
    operators = list(register.operator_list_for_user(user=user).order_by("name_zh", "id"))
    if progress:
        progress(10)
    lines = service_lines(user=user, operators=operators)
    if progress:
        progress(30)
    facts = compliance_facts(user=user, as_of=as_of)
    attach_compliance(lines, facts.worst)
    if progress:
        progress(45)
    with_services = {line.operator.pk for line in lines}
    by_status = Counter(line.filing_status for line in lines)
    status_rows = [
        (status_label(s), by_status[s])
        for s in [*FilingStatus.values, NO_APPLICATION]
        if by_status[s]
    ]
    by_province: dict[str, dict] = defaultdict(lambda: {"operators": 0, "services": 0})
    for op in operators:
        by_province[op.province.name_zh]["operators"] += 1
    for line in lines:
        by_province[line.operator.province.name_zh]["services"] += 1
    return {
        "operators": operators,
        "services": lines,
        "bare_operators": [o for o in operators if o.pk not in with_services],
        "status_totals": status_rows,
        "province_totals": sorted(by_province.items()),
        "chart_svg": _bar_chart_svg(status_rows),
        "overdue": facts.overdue,
        "due_soon": facts.due_soon,
        "total_services": len(lines),
        "as_of": as_of,
    }
