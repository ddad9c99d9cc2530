"""Every page a demo user can reach by links, in Simplified Chinese, has no English UI words.

Each demo role signs in with `user.language = "zh-hans"` (no cookie, no Accept-Language) and
follows the links from the overview (same host, GET only; no sign-out, downloads, API or static
files; for staff, the admin index and its ADMIN_SECTIONS), up to MAX_PAGES pages per role and
PER_PATTERN pages per URL shape. Scripts and styles are dropped, and so is the *data*: the
values of the DATA_FIELDS below (names, AppIDs, domains, numbers, user names, e-mails… as
people typed them) and dates, numbers, e-mail addresses and URLs. Whatever ASCII word of three
letters or more is left (in text, or in `placeholder`, `title`, `aria-label`, `alt` and input
button values) is an untranslated UI string, unless it is one of the LATIN_TERMS. The failure
lists each page URL with its offending words and their context.

Other pages are added all the time: when this fails, translate the string (templates and
catalogs); never add a UI word to the lists here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db.models import Model

from accounts.models import Organization, User
from audit.models import AuditEntry
from compliance import tracking
from compliance.models import CalendarOverride, ComplianceRule, KnownCalendarYear
from documents.models import Document
from filings.models import FilingApplication, FilingComment, FilingStatusChange, RejectionReason
from miniprograms.models import (
    Domain,
    IcpLicence,
    MiniProgram,
    Operator,
    PreApproval,
    Province,
    ResponsiblePerson,
    TopLevelDomain,
)
from notifications.models import WebhookEndpoint
from tests.factories import enable_totp

ROLES = ["agency_manager", "agency_staff", "client_officer", "admin"]
MAX_PAGES = 300
PER_PATTERN = 2  # pages of one URL shape (digits and query values aside) per role

# Data, never UI: what people typed into the register (and the demo seeded as such).
DATA_FIELDS: list[tuple[type[Model], list[str]]] = [
    (User, ["username", "first_name", "last_name", "email"]),
    (Organization, ["name", "slug"]),
    (Operator, ["name_zh", "name_en", "uscc", "address", "entity_number"]),
    (ResponsiblePerson, ["name", "mobile", "email", "emergency_contact"]),
    (MiniProgram, ["name", "appid", "content_category", "icp_number"]),
    (
        Domain,
        ["name", "tld_id", "site_name", "registrar", "registrant_name", "icp_number", "psb_number"],
    ),
    (PreApproval, ["category", "authority", "licence_number"]),
    (IcpLicence, ["number", "scope"]),
    (FilingApplication, ["icp_number", "reference", "notes"]),
    (FilingStatusChange, ["note"]),
    (RejectionReason, ["field", "error", "suggestion"]),
    (FilingComment, ["body"]),
    (Document, ["name", "original_name"]),
    (WebhookEndpoint, ["name"]),
    # Reference rows a superuser edits in the admin, stored as written (English sources).
    (ComplianceRule, ["code", "title", "description", "source"]),
    (CalendarOverride, ["note"]),
    (KnownCalendarYear, ["note"]),
    (Province, ["name_en"]),
    (TopLevelDomain, ["name", "source"]),
    # The audit log keeps each object's name and each actor's name as they were when the entry
    # was written (a snapshot: the object may have been renamed or deleted since).
    (AuditEntry, ["object_repr", "actor_label"]),
    # Django stores permission names in the database, in English, when it creates them.
    (Permission, ["name", "codename"]),
]
# Data shapes: dates and times, e-mail addresses, URLs and host names, ICP/licence numbers,
# hex tokens (AppIDs, hashes), file names.
DATA_PATTERNS = [
    r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\b",
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    r"\bhttps?://\S+",
    r"\b(?:[a-z0-9-]+\.)+(?:[a-z]{2,}|xn--[a-z0-9]+)\b",
    r"\b[\w-]+\.(?:pdf|xlsx|csv|ics|png|jpe?g)\b",
    r"\b(?:wx|tt)[0-9a-z]{16}\b",
    r"[\{\[]\".*[\}\]]",  # JSON values (rule parameters, role codes) as the admin shows them
    r"\bYYYY-MM-DD\b",  # the date format itself
]
# Not data and not English: names that Chinese text writes in Latin letters too (acronyms,
# file formats, "App", "Webhook", the apprise library's URL scheme). Keep it to such names.
LATIN_TERMS = {
    *("ICP", "App", "AppID", "ASCII", "API", "URL", "JSON", "Webhook", "apprise", "Lark"),
    *("MIIT", "SMS", "Control", "Command", "Mac", "LDAP"),
    *("CSV", "XLSX", "PDF", "PNG", "JPG", "ICS", "EML"),
}
LATIN_UPPER = {term.upper() for term in LATIN_TERMS}
WORD = re.compile(r"[A-Za-z]{3,}")
# The admin's index and the sections of compliance and notifications (the rest of the admin
# is not yet checked: its record titles and some labels still show codes).
ADMIN_SECTIONS = ("/admin/compliance/", "/admin/notifications/")
SKIP_PATHS = ("/accounts/logout/", "/static/", "/media/", "/api/", "/calendar/", "/i18n/")
DOWNLOAD = re.compile(r"(download|export|template|\.(csv|xlsx|pdf|ics|json)$)", re.I)
ATTRS = ("placeholder", "title", "aria-label", "alt")


class _Page(HTMLParser):
    """Text chunks (outside script/style and outside elements marked lang="en") and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip: list[str] = []  # open elements whose content is not checked

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = (a.get("lang") or "").lower()
        # Scripts, styles, code samples, and what is marked as another language on purpose
        # (the language switch offers "English" in English).
        skipped = tag in ("script", "style", "code") or (lang and not lang.startswith("zh"))
        void = tag in ("input", "br", "img", "meta", "link", "hr", "source")
        if not void and (skipped or self._skip):
            self._skip.append(tag)
        if self._skip or skipped:
            return
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        # Django's admin writes True/False/None as the alt text of its boolean icons.
        django_icon = tag == "img" and "/admin/img/icon-" in (a.get("src") or "")
        for name in ATTRS:
            if a.get(name) and not django_icon:
                self.texts.append(a[name])
        # An input button shows its value; a <button> shows its content (checked as text).
        button = tag == "input" and a.get("type") in ("submit", "button", "reset")
        if button and a.get("value"):
            self.texts.append(a["value"])

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def _data_values() -> list[str]:
    values: set[str] = set()
    for model, fields in DATA_FIELDS:
        for row in model._default_manager.values_list(*fields):
            values.update(str(v) for v in row if v and len(str(v)) >= 3)
    return sorted(values, key=len, reverse=True)


def _strip_data(text: str, values: list[str]) -> str:
    for value in values:
        if value in text:
            text = text.replace(value, " ")
    for pattern in DATA_PATTERNS:
        text = re.sub(pattern, " ", text, flags=re.I)
    return text


def _shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _link(url: str, href: str, *, staff: bool) -> str | None:
    """The path to follow for `href` on page `url`, or None (elsewhere, download, sign-out…)."""
    target = urlsplit(urljoin(url, href))
    if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
        return None
    path = target._replace(scheme="", netloc="", fragment="").geturl()
    if (
        path.startswith(SKIP_PATHS)
        or DOWNLOAD.search(target.path)
        or (path.startswith("/admin/") and not (staff and path.startswith(ADMIN_SECTIONS)))
        or "logout" in path
    ):
        return None
    return path


def _english_words(page: _Page, values: list[str]) -> set[str]:
    found = set()
    for text in page.texts:
        for word in WORD.findall(_strip_data(text, values)):
            if word.upper() not in LATIN_UPPER:
                found.add(f"{word!r} in {' '.join(text.split())[:80]!r}")
    return found


def _crawl(client, *, staff: bool, values: list[str]) -> tuple[dict[str, set[str]], int]:
    queue = ["/", "/admin/", *ADMIN_SECTIONS] if staff else ["/"]
    seen = set(queue)
    shapes: dict[str, int] = defaultdict(int)
    problems: dict[str, set[str]] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code in (301, 302):
            path = _link(url, response["Location"], staff=staff)
            if path is not None and path not in seen:
                seen.add(path)
                queue.append(path)
            continue
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        visited += 1
        page = _Page()
        page.feed(response.content.decode())
        if words := _english_words(page, values):
            problems[url] = words
        for href in page.links:
            path = _link(url, href, staff=staff)
            if path is None or path in seen:
                continue
            seen.add(path)
            shape = _shape(path)
            if shapes[shape] < PER_PATTERN:
                shapes[shape] += 1
                queue.append(path)
    return problems, visited


@pytest.fixture
def zh_demo(db):
    call_command("seed_demo", "--quiet")
    tracking.flush()
    User.objects.filter(username__in=ROLES).update(language="zh-hans")
    for superuser in User.objects.filter(username__in=ROLES, is_superuser=True):
        enable_totp(superuser)  # superusers reach nothing but the 2FA setup without one


@pytest.mark.parametrize("username", ROLES)
def test_every_linked_page_is_in_chinese(zh_demo, client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    problems, visited = _crawl(client, staff=user.is_staff, values=_data_values())
    assert visited >= 10, f"only {visited} pages reached"
    report = "\n".join(
        f"{url}\n    " + "\n    ".join(sorted(words)) for url, words in sorted(problems.items())
    )
    assert not problems, f"English UI words on {len(problems)} of {visited} pages:\n{report}"
