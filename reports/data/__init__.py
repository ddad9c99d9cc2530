"""What goes into each PDF report, read through the user-scoped selectors.

One module per report (`dossier`, `portfolio`, `inspection`) returning a plain dict for
templates/pdf/<kind>.html, plus `lines` (the service lines they share). Compliance items
come from the same user-scoped selector as the dashboard and the API. Which builder serves
which kind is declared in reports/kinds.py.
"""

from .dossier import dossier_context
from .inspection import inspection_context
from .lines import NO_APPLICATION, ServiceLine, count_services, service_lines
from .portfolio import portfolio_context

__all__ = [
    "NO_APPLICATION",
    "ServiceLine",
    "count_services",
    "dossier_context",
    "inspection_context",
    "portfolio_context",
    "service_lines",
]
