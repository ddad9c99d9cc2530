"""The display checker's section on a domain page, and the sentences of findings."""

from __future__ import annotations

from django import template

from accounts.access import can_edit_operator
from icp.display_texts import finding_fix, finding_title
from monitoring.display import selectors

register = template.Library()


@register.inclusion_tag("monitoring/display/_domain_section.html", takes_context=True)
def display_section(context, domain) -> dict:
    """Last check, findings with their fixes, the snippet to paste, history and evidence.
    The page that includes it has already checked that the user sees `domain`."""
    request = context["request"]
    info = selectors.domain_display(domain=domain)
    return {
        "request": request,
        "domain": domain,
        "info": info,
        "can_check": can_edit_operator(request.user, domain.operator),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def display_finding_title(finding: dict) -> str:
    return finding_title(str(finding.get("code", "")), finding.get("values") or {})


@register.filter
def display_finding_fix(finding: dict) -> str:
    return finding_fix(str(finding.get("code", "")), finding.get("values") or {})


@register.filter
def display_code_title(code: str) -> str:
    """The title of a finding code without its values (for counts by kind)."""
    return finding_title(code, {})
