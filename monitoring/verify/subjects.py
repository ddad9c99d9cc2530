"""The filed services this part verifies, and what to type to look one up."""

from __future__ import annotations

from django.db.models import Q

from icp.identifiers import domain_display
from miniprograms.models import Domain, Lifecycle, MiniProgram

# The {type} of the pages' and API's service URLs, and the compliance subject_type.
SERVICE_MODELS: dict[str, type[MiniProgram] | type[Domain]] = {
    "miniprogram": MiniProgram,
    "domain": Domain,
}

# Filed and not retired: a number on record and, for apps, not delisted.
FILED_MINIPROGRAM_Q = Q(icp_number__gt="") & ~Q(lifecycle=Lifecycle.DELISTED)
FILED_DOMAIN_Q = Q(icp_number__gt="")


def is_filed(service: MiniProgram | Domain) -> bool:
    if isinstance(service, MiniProgram):
        return bool(service.icp_number) and service.lifecycle != Lifecycle.DELISTED
    return bool(service.icp_number)


def service_type(service: MiniProgram | Domain) -> str:
    return "miniprogram" if isinstance(service, MiniProgram) else "domain"


def lookup_type(service: MiniProgram | Domain) -> str:
    """The kind sent to a lookup service: domain, or the app's kind (app/miniprogram/quickapp)."""
    return service.kind if isinstance(service, MiniProgram) else "domain"


def query_text(*, service_type: str, name: str) -> str:
    """What to type into the MIIT lookup: the domain of a website, the name of an app."""
    return domain_display(name) if service_type == "domain" else name


def query_for(service: MiniProgram | Domain) -> str:
    return query_text(service_type=service_type(service), name=service.name)
