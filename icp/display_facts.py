"""What the display rules judge and what they answer (icp.display): the facts parsed from a
page, the service's numbers on record, the accepted link targets (data) and the findings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

PSB_DUE_DAYS = 30


class Severity(StrEnum):
    ERROR = "error"  # fined or banned if left: the service is not compliant on display
    WARNING = "warning"  # accepted today, worth fixing


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    LEGACY = "legacy"


@dataclass(frozen=True, slots=True)
class LinkPattern:
    """One link target: ``https://…`` (a URL prefix), ``http://`` (a scheme), ``/…`` (a path,
    also inside a ``#/`` fragment) or a bare host name (that host)."""

    pattern: str
    verdict: Verdict
    # MPS links: the query parameter that must carry the 14 digits ("code", "recordcode").
    code_param: str = ""

    def matches(self, href: str, *, hosts: frozenset[str]) -> bool:
        url = href.strip()
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        p = self.pattern.strip()
        low = p.lower()
        if low in ("http://", "https://"):
            return parts.scheme.lower() == low[:-3] and host_in(host, hosts)
        if low.startswith(("http://", "https://")):
            want = urlsplit(p)
            return (
                parts.scheme.lower() == want.scheme.lower()
                and host == (want.hostname or "").lower()
                and _rest(url).startswith(_rest(p))
            )
        if p.startswith("/"):
            return host_in(host, hosts) and (
                parts.path.startswith(p) or parts.fragment.startswith(p)
            )
        return host_in(host, frozenset({low}))


def host_in(host: str, hosts: frozenset[str]) -> bool:
    """`host` is one of `hosts` or a subdomain of one (www.miitbeian.gov.cn)."""
    return any(host == h or host.endswith("." + h) for h in hosts)


def _rest(url: str) -> str:
    """Path, query and fragment of a URL, "/" for an empty path."""
    parts = urlsplit(url)
    rest = parts.path or "/"
    if parts.query:
        rest += "?" + parts.query
    if parts.fragment:
        rest += "#" + parts.fragment
    return rest


@dataclass(frozen=True)
class DisplayRules:
    miit: tuple[LinkPattern, ...]
    mps: tuple[LinkPattern, ...]
    # Province codes (440000) where showing the entity number instead of the service's is accepted.
    entity_number_provinces: frozenset[str] = frozenset()
    # Words in a badge image's src/alt/title that mark the public-security badge.
    badge_hints: tuple[str, ...] = ("gongan", "公安", "police", "ga.png", "beian", "备案图标")

    def hosts(self, patterns: tuple[LinkPattern, ...]) -> frozenset[str]:
        found = set()
        for p in patterns:
            if p.pattern.lower().startswith(("http://", "https://")):
                host = urlsplit(p.pattern).hostname
                if host:
                    found.add(host.lower())
            elif not p.pattern.startswith("/") and "://" not in p.pattern:
                found.add(p.pattern.lower())
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class LinkFact:
    """An <a href> of the page: where it goes, its text, and the images in or beside it."""

    href: str
    text: str
    images: tuple[str, ...] = ()  # src/alt/title of images inside the link
    near_images: tuple[str, ...] = ()  # same, of images beside it (same parent element)
    target: str = ""


@dataclass(frozen=True)
class PageFacts:
    text: str
    links: tuple[LinkFact, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    values: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "severity": str(self.severity), "values": dict(self.values)}


@dataclass(frozen=True)
class OnRecord:
    """What the register says about the service."""

    icp_number: str
    psb_number: str = ""
    live_since: datetime.date | None = None
