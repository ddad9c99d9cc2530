"""Content Security Policy: the header on every page, and templates the policy lets through."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
# Rendered by WeasyPrint (PDF) or sent as e-mail, never served to a browser under the policy.
NOT_PAGES = ("templates/pdf/", "/email/")

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
HTMX_EVAL = re.compile(r"\shx-on|hx-vals\s*=\s*[\"']js:|hx-trigger=\"[^\"]*\[", re.IGNORECASE)


def page_templates() -> list[Path]:
    found = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    return sorted(
        p for p in found if ".venv" not in p.parts and not any(n in str(p) for n in NOT_PAGES)
    )


def test_there_are_templates_to_check():
    assert len(page_templates()) > 50


@pytest.mark.parametrize(
    "pattern", [INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER, HTMX_EVAL]
)
def test_no_template_needs_an_inline_exception(pattern):
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in page_templates()
        for n, line in enumerate(p.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_the_patterns_catch_what_they_should():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert STYLE_ATTRIBUTE.search('<ul style="padding:0">')
    assert not STYLE_ATTRIBUTE.search('<link rel="stylesheet" href="x.css">')
    assert EVENT_HANDLER.search('<a onclick="go()">')
    assert not EVENT_HANDLER.search('<option value="x">')
    assert HTMX_EVAL.search('<div hx-trigger="keyup[ctrlKey]">')


def test_pages_carry_the_policy(client, manager):
    client.force_login(manager)
    response = client.get(reverse("dashboard:overview"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_the_sign_in_page_and_the_admin_carry_it_too(client, superuser):
    assert "default-src 'self'" in client.get(reverse("account_login"))["Content-Security-Policy"]
    client.force_login(superuser)
    assert "default-src 'self'" in client.get("/admin/")["Content-Security-Policy"]


def test_htmx_is_told_to_inject_no_style(client, manager):
    client.force_login(manager)
    html = client.get(reverse("dashboard:overview")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false' in html


def test_other_security_headers(client, manager):
    client.force_login(manager)
    response = client.get(reverse("dashboard:overview"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
