"""The display rules of a website's home page (domain.md §7, §13), over facts already parsed.

A checker fetches and parses the page; this module only judges what was found: the text (in
which ``find_numbers`` looks for every number), the links with their targets and images, and
what is on record for the service. The accepted and legacy link targets are data
(`LinkTarget`, edited by staff), passed in as `DisplayRules`.

Each finding is a code, a severity and the values that explain it; the sentences (what is
wrong and how to fix it) are msgids in `FINDING_TEXTS`, translated when shown.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from .number_parts import NumberFamily, ParsedNumber, ServiceType, beijing_today
from .number_search import FoundNumber, find_numbers
from .numbers import parse_number

__all__ = [
    "DisplayRules",
    "Finding",
    "LinkFact",
    "LinkPattern",
    "OnRecord",
    "PageFacts",
    "Severity",
    "Verdict",
    "judge_page",
    "mps_code_of",
]

from .display_facts import (
    PSB_DUE_DAYS,
    DisplayRules,
    Finding,
    LinkFact,
    LinkPattern,
    OnRecord,
    PageFacts,
    Severity,
    Verdict,
    host_in,
)

# Romanised numbers seen on real pages: "Yue ICP 2026055337-1", "Jing ICP Bei 11041704".
_ROMANISED = re.compile(
    r"\b[A-Z][a-z]{0,5}\s*ICP\s*(?:bei\s*)?(?:No\.?\s*)?\d{6,10}(?:\s*-\s*\d{1,5}[AXK]?)?",
    re.IGNORECASE,
)
_CODE = re.compile(r"[?&]([A-Za-z_]+)=([^&#]*)")
_TARGET_TYPO = re.compile(r"^_?bl(?!ank$)[a-z]*$", re.IGNORECASE)


def mps_code_of(href: str, param: str = "code") -> str | None:
    """The value of `param` anywhere in the link (also inside a ``#/…?code=`` fragment)."""
    for name, value in _CODE.findall(href):
        if name.lower() == param.lower():
            return str(value)
    return None


def psb_due(record: OnRecord, today: datetime.date) -> bool:
    """A public-security number is expected: on record, or 30 days live without one."""
    if record.psb_number:
        return True
    return record.live_since is not None and today > record.live_since + datetime.timedelta(
        days=PSB_DUE_DAYS
    )


def judge_page(
    facts: PageFacts,
    record: OnRecord,
    rules: DisplayRules,
    *,
    today: datetime.date | None = None,
) -> list[Finding]:
    """Every display finding of a fetched page; [] for a correct one."""
    today = today or beijing_today()
    found = find_numbers(facts.text, today=today)
    try:
        expected: ParsedNumber | None = parse_number(record.icp_number, today=today)
    except ValueError:
        expected = None
    findings: list[Finding] = []
    icp_found = [f for f in found if f.parsed and f.parsed.family != NumberFamily.PSB]
    psb_found = [f for f in found if f.parsed and f.parsed.family == NumberFamily.PSB]
    for f in found:
        if f.error is not None:
            findings.append(
                Finding(
                    "malformed_number",
                    Severity.WARNING,
                    {"text": f.text, "detail": f.error.message},
                )
            )
    shown = _judge_numbers(facts, icp_found, expected, rules, findings)
    _judge_icp_links(facts, shown, rules, findings)
    _judge_psb(facts, psb_found, record, rules, today, findings)
    return findings


_OTHER_TYPES = (ServiceType.APP, ServiceType.MINIPROGRAM, ServiceType.QUICKAPP)


def _classify(p: ParsedNumber, expected: ParsedNumber) -> str:
    """How a number shown relates to the service's: "match", "entity", or a finding code
    ("" for a number that says nothing about this service, such as a partner's licence)."""
    if p.normalized == expected.normalized:
        return "match"
    if p.entity_number != expected.entity_number:
        return "other_operator_number" if p.family == NumberFamily.FILING else ""
    if p.service_type == ServiceType.ENTITY and p.family == expected.family:
        return "entity"
    if p.service_type in _OTHER_TYPES:
        return "other_service_type"
    if p.service_type == ServiceType.WEBSITE:
        return "other_service_number"
    return ""


def _judge_numbers(
    facts: PageFacts,
    icp_found: list[FoundNumber],
    expected: ParsedNumber | None,
    rules: DisplayRules,
    findings: list[Finding],
) -> list[str]:
    """Findings about the filing number; returns the texts of the numbers taken as the
    service's (to look for their link)."""
    if expected is None:
        return [f.text for f in icp_found]
    exp = expected.normalized
    kinds: dict[str, list[str]] = {}
    for f in icp_found:
        if f.parsed is not None:
            kinds.setdefault(_classify(f.parsed, expected), []).append(f.text)
    for code in ("other_operator_number", "other_service_type", "other_service_number"):
        findings.extend(
            Finding(code, Severity.ERROR, {"text": text, "expected": exp})
            for text in kinds.get(code, [])
        )
    if "match" in kinds:
        return kinds["match"]
    if "entity" in kinds:
        if (expected.province_code or "") not in rules.entity_number_provinces:
            findings.append(
                Finding(
                    "entity_number", Severity.ERROR, {"text": kinds["entity"][0], "expected": exp}
                )
            )
        return kinds["entity"]
    missing = _missing_number(facts, icp_found, expected, other="other_service_type" in kinds
                              or "other_service_number" in kinds)  # fmt: skip
    if missing is not None:
        findings.append(missing)
    return []


def _missing_number(
    facts: PageFacts, icp_found: list[FoundNumber], expected: ParsedNumber, *, other: bool
) -> Finding | None:
    """Why the service's number is not on the page: romanised, a licence alone, nothing."""
    exp = expected.normalized
    romanised = _ROMANISED.search(facts.text)
    licences = [
        f.text
        for f in icp_found
        if f.parsed and f.parsed.family in (NumberFamily.B_LICENCE, NumberFamily.ICP_LICENCE)
    ]
    if romanised:
        return Finding(
            "romanised_number", Severity.ERROR, {"text": romanised.group(0), "expected": exp}
        )
    if licences and expected.family == NumberFamily.FILING:
        return Finding("licence_only", Severity.ERROR, {"text": licences[0], "expected": exp})
    if not icp_found:
        return Finding("no_number", Severity.ERROR, {"expected": exp})
    if other:  # a wrong service's number is already a finding that says what to show
        return None
    return Finding("number_missing", Severity.ERROR, {"expected": exp})


def _links_with(facts: PageFacts, text: str) -> list[LinkFact]:
    squeezed = re.sub(r"\s+", "", text)
    return [link for link in facts.links if squeezed in re.sub(r"\s+", "", link.text)]


def _is_badge(image: str, rules: DisplayRules) -> bool:
    low = image.lower()
    return any(h.lower() in low for h in rules.badge_hints)


def _judge_icp_links(
    facts: PageFacts, shown: list[str], rules: DisplayRules, findings: list[Finding]
) -> None:
    hosts = rules.hosts(rules.miit)
    around: list[LinkFact] = []
    for text in shown:
        around.extend(_links_with(facts, text))
    to_miit = [
        link
        for link in facts.links
        if any(p.matches(link.href, hosts=hosts) for p in rules.miit) or link in around
    ]
    accepted = False
    flagged: set[str] = set()
    for link in to_miit:
        legacy = next(
            (
                p
                for p in rules.miit
                if p.verdict == Verdict.LEGACY and p.matches(link.href, hosts=hosts)
            ),
            None,
        )
        if legacy is not None:
            if legacy.pattern not in flagged:
                flagged.add(legacy.pattern)
                findings.append(
                    Finding(
                        "miit_legacy_link",
                        Severity.ERROR,
                        {"href": link.href, "pattern": legacy.pattern},
                    )
                )
            continue
        if any(
            p.verdict == Verdict.ACCEPTED and p.matches(link.href, hosts=hosts) for p in rules.miit
        ):
            accepted = True
            if link.target and _TARGET_TYPO.match(link.target):
                findings.append(Finding("target_typo", Severity.WARNING, {"target": link.target}))
    if shown and not accepted and not flagged:
        findings.append(Finding("miit_not_linked", Severity.ERROR, {"text": shown[0]}))
    for link in around:
        if any(_is_badge(img, rules) for img in link.images):
            findings.append(Finding("badge_on_icp", Severity.WARNING, {"text": shown[0]}))
            break


def _judge_psb(
    facts: PageFacts,
    psb_found: list[FoundNumber],
    record: OnRecord,
    rules: DisplayRules,
    today: datetime.date,
    findings: list[Finding],
) -> None:
    expected = ""
    if record.psb_number:
        try:
            expected = parse_number(record.psb_number, today=today).entity_serial
        except ValueError:
            expected = ""
    if not psb_found:
        if psb_due(record, today):
            code = "psb_missing" if record.psb_number else "psb_not_filed"
            findings.append(Finding(code, Severity.ERROR, {"expected": record.psb_number}))
        return
    for f in psb_found:
        if f.parsed is None:
            continue
        digits = f.parsed.entity_serial
        if expected and digits != expected:
            findings.append(
                Finding(
                    "psb_wrong_number",
                    Severity.ERROR,
                    {"text": f.text, "expected": record.psb_number},
                )
            )
        links = _links_with(facts, f.text)
        if not links:
            findings.append(Finding("psb_not_linked", Severity.ERROR, {"text": f.text}))
            continue
        findings.extend(_judge_psb_link(links[0], f.text, digits, rules))


def _judge_psb_link(link: LinkFact, text: str, digits: str, rules: DisplayRules) -> list[Finding]:
    hosts = rules.hosts(rules.mps)
    out: list[Finding] = []
    pattern = next((p for p in rules.mps if p.matches(link.href, hosts=hosts)), None)
    if pattern is None and host_in((urlsplit(link.href).hostname or "").lower(), hosts):
        out.append(Finding("psb_link_no_code", Severity.ERROR, {"href": link.href}))
    elif pattern is None:
        out.append(Finding("psb_not_linked", Severity.ERROR, {"text": text, "href": link.href}))
    else:
        if pattern.verdict == Verdict.LEGACY:
            out.append(Finding("psb_legacy_link", Severity.WARNING, {"href": link.href}))
        code = mps_code_of(link.href, pattern.code_param or "code")
        if not code:
            out.append(Finding("psb_link_no_code", Severity.ERROR, {"href": link.href}))
        elif code != digits:
            out.append(
                Finding(
                    "psb_code_mismatch",
                    Severity.ERROR,
                    {"href": link.href, "code": code, "digits": digits},
                )
            )
    if not link.images and not link.near_images:
        out.append(Finding("psb_badge_missing", Severity.ERROR, {"text": text}))
    return out
