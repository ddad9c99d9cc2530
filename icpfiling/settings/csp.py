"""Content Security Policy (django-csp): only this site's own scripts, styles and images.

No inline script, no inline style, no `style=` attribute: templates load static files
(static/js, static/css), htmx is told not to inject its indicator style element (base.html's
htmx-config meta tag), and Swagger UI loads its init script as a file (core/api_docs.py;
Redoc, which needs inline styles and a CDN, is not served). There are no exceptions.
Forms may post only here, and redirect only to the authorize pages of the single sign-on
providers configured (sso.py; browsers apply form-action to redirects too); more origins
with CSP_FORM_ACTION_EXTRA (e.g. for a provider set up as a SocialApp row in the admin).
tests/core/test_csp.py scans the templates, tests/browser/test_csp.py visits the pages.
"""

from csp.constants import NONE, SELF

from .environment import env
from .sso import SSO_FORM_ACTION_ORIGINS

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [
            SELF,
            *SSO_FORM_ACTION_ORIGINS,
            *env.list("CSP_FORM_ACTION_EXTRA", default=[]),
        ],
    },
}
