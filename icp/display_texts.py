"""What each display finding means and how to fix it, and the snippet to paste (domain.md §13).

The sentences are msgids (``gettext_noop``): a stored finding keeps only its code and values,
and each reader sees the sentence in their own language. `finding_title` / `finding_fix`
translate at the time they are called.
"""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext


def gettext_noop(message: str) -> str:
    """Mark `message` for translation (makemessages knows the name) and keep it as is.

    Django's own gettext_noop reads the settings; the kernel imports without any.
    """
    return message


MIIT_URL = "https://beian.miit.gov.cn/"
MPS_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="

# code -> (what is wrong, how to fix it); values are those of the Finding.
FINDING_TEXTS: dict[str, tuple[str, str]] = {
    # the page could not be read
    "dns_failure": (
        gettext_noop("The site's name does not resolve"),
        gettext_noop(
            "Point the domain's DNS at the filed server; the home page must be reachable."
        ),
    ),
    "unreachable": (
        gettext_noop("The site cannot be reached"),
        gettext_noop("Check that the server is up and answers on ports 443 or 80."),
    ),
    "refused_address": (
        gettext_noop("The site resolves to an address that is not public"),
        gettext_noop("Point the domain at the public, filed server."),
    ),
    "tls_failure": (
        gettext_noop("The secure connection (https) fails"),
        gettext_noop("Install a valid certificate for the domain: %(detail)s"),
    ),
    "timeout": (
        gettext_noop("The home page did not arrive in time"),
        gettext_noop("Make the home page answer within a few seconds."),
    ),
    "http_status": (
        gettext_noop("The home page answers HTTP %(status)s"),
        gettext_noop("Serve the home page with HTTP 200 at %(url)s."),
    ),
    "redirect_loop": (
        gettext_noop("The home page redirects in a loop"),
        gettext_noop("Fix the redirects at %(url)s so that the home page is reached."),
    ),
    "too_many_redirects": (
        gettext_noop("The home page redirects too many times"),
        gettext_noop("Redirect the home page at most a few times, directly to its final address."),
    ),
    "too_large": (
        gettext_noop("The home page is larger than %(limit)s bytes"),
        gettext_noop(
            "The page was not read: make the home page smaller, so its footer with the filing "
            "number can be found."
        ),
    ),
    "check_failed": (
        gettext_noop("The check itself failed"),
        gettext_noop(
            "The site is checked again at the next sweep; if this persists, report it: %(detail)s"
        ),
    ),
    # the number
    "no_number": (
        gettext_noop("No filing number on the home page"),
        gettext_noop(
            "Show %(expected)s at the bottom of the home page, linked to the MIIT lookup "
            "(paste the snippet below)."
        ),
    ),
    "number_missing": (
        gettext_noop("The service's filing number is not shown"),
        gettext_noop("Show %(expected)s, the number of this site, at the bottom of the home page."),
    ),
    "entity_number": (
        gettext_noop("The entity number %(text)s is shown instead of the site's number"),
        gettext_noop(
            "Outside Guangdong the site's own number is required: show %(expected)s instead."
        ),
    ),
    "other_operator_number": (
        gettext_noop("Another operator's number %(text)s is shown"),
        gettext_noop("Remove %(text)s: a page shows only its own operator's filing number."),
    ),
    "other_service_type": (
        gettext_noop("The number of an app or mini-program (%(text)s) is shown on the site"),
        gettext_noop("Show the site's number %(expected)s instead of %(text)s."),
    ),
    "other_service_number": (
        gettext_noop("Another site's number %(text)s is shown"),
        gettext_noop("Show this site's number %(expected)s instead of %(text)s."),
    ),
    "romanised_number": (
        gettext_noop("The number is romanised (%(text)s)"),
        gettext_noop("Write the number in Chinese exactly as filed: %(expected)s."),
    ),
    "licence_only": (
        gettext_noop("A licence number (%(text)s) is shown instead of the filing number"),
        gettext_noop(
            "Keep the licence if you like, and show the filing number %(expected)s as well."
        ),
    ),
    "malformed_number": (
        gettext_noop("A number on the page is malformed: %(text)s"),
        gettext_noop("Correct it: %(detail)s"),
    ),
    # the MIIT link
    "miit_not_linked": (
        gettext_noop("The filing number is not linked to the MIIT lookup"),
        gettext_noop('Link %(text)s to https://beian.miit.gov.cn/ (target="_blank").'),
    ),
    "miit_legacy_link": (
        gettext_noop("The filing number links to an old address (%(href)s)"),
        gettext_noop("Change the link to https://beian.miit.gov.cn/ (flagged: %(pattern)s)."),
    ),
    "target_typo": (
        gettext_noop('The MIIT link has target="%(target)s"'),
        gettext_noop('Write target="_blank" so that the lookup opens in a new tab.'),
    ),
    "badge_on_icp": (
        gettext_noop("The police badge sits on the filing number %(text)s"),
        gettext_noop(
            "Move the badge image to the public-security number; the filing number has none."
        ),
    ),
    # the public-security number
    "psb_not_filed": (
        gettext_noop("No public-security number: the site has been live for over 30 days"),
        gettext_noop(
            "File the site at beian.mps.gov.cn, record the number here, then show it with its "
            "badge."
        ),
    ),
    "psb_missing": (
        gettext_noop("The public-security number %(expected)s is not shown"),
        gettext_noop("Show it with its badge, linked to the MPS lookup (snippet below)."),
    ),
    "psb_wrong_number": (
        gettext_noop("The public-security number shown (%(text)s) is not the one on record"),
        gettext_noop("Show %(expected)s, the number on record."),
    ),
    "psb_not_linked": (
        gettext_noop("The public-security number %(text)s is not linked to the MPS lookup"),
        gettext_noop(
            "Link it to https://beian.mps.gov.cn/#/query/webSearch?code= followed by its 14 digits."
        ),
    ),
    "psb_legacy_link": (
        gettext_noop("The public-security link goes to the old www.beian.gov.cn"),
        gettext_noop(
            "Change it to https://beian.mps.gov.cn/#/query/webSearch?code= with the 14 digits."
        ),
    ),
    "psb_link_no_code": (
        gettext_noop("The public-security link has no code="),
        gettext_noop("Add code= and the number's 14 digits to the link: %(href)s"),
    ),
    "psb_code_mismatch": (
        gettext_noop("The public-security link's code %(code)s differs from the number shown"),
        gettext_noop("Set code=%(digits)s in the link, the 14 digits of the number."),
    ),
    "psb_badge_missing": (
        gettext_noop("The public-security badge image is missing"),
        gettext_noop("Put the badge image in front of %(text)s, inside its link."),
    ),
}


class _Values(dict[str, str]):
    """Values of a finding; one it does not have reads as "…" (a title shown by kind)."""

    def __missing__(self, key: str) -> str:
        return "…"


def _fill(text: str, values: dict[str, str]) -> str:
    try:
        return text % _Values(values)
    except (TypeError, ValueError):
        return text


def finding_title(code: str, values: dict[str, str]) -> str:
    texts = FINDING_TEXTS.get(code)
    return _fill(gettext(texts[0]), values) if texts else code


def finding_fix(code: str, values: dict[str, str]) -> str:
    texts = FINDING_TEXTS.get(code)
    return _fill(gettext(texts[1]), values) if texts else ""


def display_snippet(*, icp_number: str, psb_number: str = "", badge_src: str = "") -> str:
    """The footer to paste: the filing number linked to the MIIT lookup and, when there is
    one, the public-security number with its badge, linked to the MPS lookup with its code."""
    lines = [
        f'<a href="{MIIT_URL}" target="_blank" rel="noopener">{escape(icp_number)}</a>',
    ]
    digits = "".join(c for c in psb_number if c.isdigit())
    if psb_number:
        badge = escape(badge_src or "/beian-badge.png")
        lines.append(
            f'<a href="{MPS_URL}{digits}" target="_blank" rel="noopener">'
            f'<img src="{badge}" alt="公安备案" width="16" height="16"> '
            f"{escape(psb_number)}</a>"
        )
    inner = "\n  ".join(lines)
    return f'<p class="beian">\n  {inner}\n</p>'
