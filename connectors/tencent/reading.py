"""Reading one Tencent Cloud object into VendorFiling states (the kind's `read`).

Domains. An order in progress with our application in flight: the domain's stage is the
order's. A change, cancellation or new access in flight: GovStatus says nothing about it (the
record on file is the old one), so the application stays where it is. Otherwise GovStatus true:
the authority has the domain on record → our application on the Tencent Cloud channel goes to
approved (with the number when the answer carries one, else the register's; without any,
`connectors.apply` records a "number refused" finding rather than approving blind; a domain
filed here already with that number gets no invented application, apply's rule for every kind).
GovStatus false: not filed there (apply flags an application of ours still in flight).

Findings. Ban → `banned` (apply's BANNED finding). A filed domain that the authority does not
have on record (GovStatus false), or that is not accessed at Tencent Cloud (LandedStatus
false), is a NOT_FILED finding on its link, opened after apply has stored the state (the code
after `yield` runs once the runner applied it, so the link exists): `not_filed_reason` would
only reach an application in flight, and `banned` would say "blocked", which it is not.
AuditTicket is a boolean, not a ticket number: it is kept in the state (vendor_status and
raw); the reference is the order id.

The entity's order. Its status is checked (an unknown one is a VendorError on the run); its
stage reaches our applications through the domains (an entity link has no register row to
apply to, so nothing is yielded for it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from filings.models import FilingApplication, FilingKind
from filings.services import GRANTING_KINDS
from icp.channels import FilingChannel
from icp.workflow import IN_FLIGHT, FilingStatus
from miniprograms.models import Domain, RecordState

from ..apply import open_finding, resolve_findings
from ..errors import CredentialError, VendorError
from ..models import ConnectorAccount, ConnectorLink, FindingCode, LinkKind
from ..types import VendorFiling, VendorObject
from .states import DomainAnswer, OrderState, order_state

if TYPE_CHECKING:
    from .client import TencentClient

CHANNEL = FilingChannel.TENCENT_CLOUD


def domain_objects(account: ConnectorAccount) -> list[VendorObject]:
    """The register's domains of the account's filing entity, in a stable order."""
    if account.operator_id is None:
        return []
    domains = Domain.objects.filter(
        organization_id=account.organization_id, operator_id=account.operator_id
    ).order_by("name", "pk")
    return [
        VendorObject(
            kind=LinkKind.DOMAIN, external_id=d.name, label=d.site_name, extra={"pk": d.pk}
        )
        for d in domains
    ]


def province_review(client: TencentClient) -> Any:
    """What DescribeEvaluateAuditDays says of the entity's province, or None.

    Information only: a key allowed to read filings but not this action (CAM grants ba per
    action) must not stop the sync, so a refusal or an error reads as "not known" (once per
    run: the client caches it). A quota answer still defers the run."""
    operator = client.account.operator
    if operator is None:
        return None
    try:
        days = client.evaluate_audit_days()
    except (CredentialError, VendorError):
        days = client.forget_audit_days()
    return days.get(str(operator.province_id))


def _order(client: TencentClient) -> OrderState | None:
    order_id = client.last_order_in_progress()
    if not order_id:
        return None
    return order_state(order_id, client.orders())


def read_order(client: TencentClient, obj: VendorObject) -> Iterator[VendorFiling]:
    _order(client)  # raises VendorError for an order we cannot read
    yield from ()


def _application(domain: Domain) -> FilingApplication | None:
    return (
        FilingApplication.objects.filter(domain=domain, channel=CHANNEL)
        .exclude(status=FilingStatus.WITHDRAWN)
        .order_by("-created_at", "-pk")
        .first()
    )


def domain_state(client: TencentClient, domain: Domain, answer: DomainAnswer) -> VendorFiling:
    """The VendorFiling of one domain (see the module docstring for the rules)."""
    application = _application(domain)
    in_flight = application is not None and application.status in IN_FLIGHT
    raw: dict[str, Any] = {**answer.raw(), "province_review": province_review(client)}

    def make(target: FilingStatus | None, vendor_status: str, **extra: Any) -> VendorFiling:
        return VendorFiling(
            kind=LinkKind.DOMAIN,
            external_id=domain.name,
            label=domain.site_name,
            target=target,
            vendor_status=vendor_status,
            banned=answer.ban,
            raw=raw,
            **extra,
        )

    # An order in progress says where our application is; GovStatus only says whether the
    # domain has a record, which a change or a new access keeps all along.
    order = _order(client) if in_flight else None
    if order is not None:
        raw["order"] = {"IcpOrderId": order.order_id, "Status": order.status}
        return make(
            order.target,
            f"{order.vendor_status} {answer.vendor_status}",
            reasons=order.reasons,
            reference=order.order_id,
        )
    if application is not None and in_flight and application.kind not in GRANTING_KINDS:
        # A change (or a cancellation) in flight: the record on file is the old one.
        return make(FilingStatus(application.status), answer.vendor_status)
    if (
        application is not None
        and in_flight
        and application.kind == FilingKind.NEW_ACCESS
        and not answer.landed
    ):  # on record through another provider, not accessed here yet
        return make(FilingStatus(application.status), answer.vendor_status)
    if answer.gov:
        # A domain filed here already needs no application: connectors.apply invents none.
        return make(
            FilingStatus.APPROVED, answer.vendor_status, number=answer.number or domain.icp_number
        )
    return make(None, answer.vendor_status, not_filed_reason="GovStatus=false")


def _discrepancy(domain: Domain, answer: DomainAnswer) -> str:
    """Language-neutral text of what Tencent Cloud says against our filed record, or ""."""
    if domain.record_state != RecordState.FILED:
        return ""
    if not answer.gov:
        return f"tencent_cloud: GovStatus=false; {domain.name} record_state=filed"
    if not answer.landed:
        return f"tencent_cloud: LandedStatus=false; {domain.name} record_state=filed"
    return ""


def _flag_discrepancy(client: TencentClient, domain: Domain, answer: DomainAnswer, state) -> None:
    account = client.account
    link = ConnectorLink.objects.filter(
        account=account, kind=LinkKind.DOMAIN, external_id=domain.name
    ).first()
    if link is None:
        return
    domain.refresh_from_db(fields=["record_state", "icp_number"])
    message = _discrepancy(domain, answer)
    if message:
        open_finding(account, link, FindingCode.NOT_FILED, message, answer.raw())
        return
    application = _application(domain)
    if state.target is None and (application is None or application.status not in IN_FLIGHT):
        resolve_findings(link, FindingCode.NOT_FILED)


def read_domain(client: TencentClient, obj: VendorObject) -> Iterator[VendorFiling]:
    domain = Domain.objects.filter(pk=int(obj.extra.get("pk") or 0)).first()
    if domain is None:  # deleted since the list was made
        return
    answer = DomainAnswer.parse(client.domain_status(domain.name))
    state = domain_state(client, domain, answer)
    yield state
    _flag_discrepancy(client, domain, answer, state)


READERS: dict[str, Callable[[TencentClient, VendorObject], Iterator[VendorFiling]]] = {
    LinkKind.ENTITY: read_order,
    LinkKind.DOMAIN: read_domain,
}

__all__ = ["READERS", "domain_objects", "domain_state", "province_review"]
