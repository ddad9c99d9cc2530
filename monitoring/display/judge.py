"""From a fetched page to findings: the rules as data (LinkTarget, Province), the page's
facts (parse), the judgement (icp.display). No writes; safe to call from worker threads once
the rules are loaded."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from icp.display import (
    DisplayRules,
    Finding,
    LinkPattern,
    OnRecord,
    Severity,
    Verdict,
    judge_page,
)
from icp.number_search import find_numbers
from miniprograms.models import Province

from ..models.display import LinkKind, LinkTarget
from .fetch import Fetched
from .parse import decode, page_facts


def display_rules() -> DisplayRules:
    """The accepted and legacy link targets and the provinces accepting the entity number,
    as staff last edited them."""
    miit: list[LinkPattern] = []
    mps: list[LinkPattern] = []
    for t in LinkTarget.objects.order_by("pk"):
        pattern = LinkPattern(t.pattern, Verdict(t.verdict), t.code_param)
        (miit if t.kind == LinkKind.MIIT else mps).append(pattern)
    provinces = frozenset(
        Province.objects.filter(entity_number_display=True).values_list("code", flat=True)
    )
    return DisplayRules(miit=tuple(miit), mps=tuple(mps), entity_number_provinces=provinces)


@dataclass
class Judged:
    findings: list[dict[str, object]]
    numbers: list[dict[str, object]]


def judge_fetched(
    fetched: Fetched, record: OnRecord, rules: DisplayRules, *, today: datetime.date
) -> Judged:
    """The findings of a fetch: why the page could not be read, or what is wrong on it."""
    if not fetched.ok:
        values = {
            "url": fetched.final_url or fetched.url,
            "detail": fetched.error_detail,
            "status": str(fetched.status or ""),
        }
        if fetched.error_kind == "too_large":
            values["limit"] = str(settings.DISPLAY_CHECK_MAX_BYTES)
        # A failure of the checker itself says nothing about the site.
        severity = Severity.WARNING if fetched.error_kind == "check_failed" else Severity.ERROR
        return Judged([Finding(fetched.error_kind, severity, values).to_dict()], [])
    text = decode(fetched.body, fetched.content_type)
    facts = page_facts(text)
    findings = judge_page(facts, record, rules, today=today)
    if fetched.tls_error:
        findings.insert(
            0, Finding("tls_failure", Severity.WARNING, {"detail": fetched.tls_error[:300]})
        )
    numbers = [
        {"text": f.text, "ok": f.ok, "family": str(f.parsed.family) if f.parsed else ""}
        for f in find_numbers(facts.text, today=today)
    ]
    return Judged([f.to_dict() for f in findings], numbers)
