"""What Tencent Cloud's filing answers mean in our workflow (pure: no database, no network).

A domain's `DescribeDomainIcpStatus` says whether the authority has it on record (GovStatus),
whether that filing is accessed at Tencent Cloud (LandedStatus), whether a verification
ticket is open (AuditTicket) and whether the domain is blocked (Ban) — four booleans, no
number and no stage. The stage of an application in flight is the entity's order in progress
(`DescribeLastIcpOrderInProgress`, one at a time per entity), whose status is read from its
row in `DescribeIcpOrders`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _

from icp.workflow import FilingStatus

from ..errors import VendorError
from ..types import VendorReason

S = FilingStatus

# [U] The order row's status field and its values are not in any public material we found.
# The stages below are the ones Tencent Cloud's console names; the exact strings an API row
# carries are unconfirmed, so only an exact match is mapped and anything else is reported as
# an unknown status (VendorError on the run), never guessed.
ORDER_STATUS_FIELD = "Status"  # [U]
ORDER_ID_FIELD = "IcpOrderId"  # [U] in a row (confirmed in DescribeLastIcpOrderInProgress)
ORDER_REASON_FIELD = "RejectReason"  # [U]
ORDER_STATUS: Mapping[str, FilingStatus] = MappingProxyType(
    {
        "初审": S.PROVIDER_REVIEW,  # [U] Tencent Cloud's own review
        "管局审核": S.AUTHORITY_REVIEW,  # [U] at the provincial authority
        "短信核验": S.SMS_VERIFICATION,  # [U] the MIIT SMS check
        "驳回": S.PROVIDER_REJECTED,  # [U] returned to the entity by Tencent Cloud
    }
)
NUMBER_FIELD = "IcpNumber"  # [U] the domain answer carries no confirmed number field


def flag(answer: Mapping[str, Any], name: str) -> bool:
    """A boolean field; a string "true"/"1" counts too (answers of other ba actions quote)."""
    value = answer.get(name)
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1"}
    return bool(value)


@dataclass(frozen=True)
class DomainAnswer:
    gov: bool
    landed: bool
    audit_ticket: bool
    ban: bool
    number: str

    @classmethod
    def parse(cls, answer: Mapping[str, Any]) -> DomainAnswer:
        number = answer.get(NUMBER_FIELD)
        return cls(
            gov=flag(answer, "GovStatus"),
            landed=flag(answer, "LandedStatus"),
            audit_ticket=flag(answer, "AuditTicket"),
            ban=flag(answer, "Ban"),
            number=number.strip() if isinstance(number, str) else "",
        )

    @property
    def vendor_status(self) -> str:
        """Language-neutral, the vendor's own words (stored in notes and findings)."""
        b = {True: "true", False: "false"}
        return (
            f"GovStatus={b[self.gov]} LandedStatus={b[self.landed]} "
            f"AuditTicket={b[self.audit_ticket]} Ban={b[self.ban]}"
        )

    def raw(self) -> dict[str, Any]:
        return {
            "GovStatus": self.gov,
            "LandedStatus": self.landed,
            "AuditTicket": self.audit_ticket,
            "Ban": self.ban,
            **({NUMBER_FIELD: self.number} if self.number else {}),
        }


@dataclass(frozen=True)
class OrderState:
    order_id: str
    status: str
    target: FilingStatus
    reasons: tuple[VendorReason, ...] = ()

    @property
    def vendor_status(self) -> str:
        return f"order {self.order_id} {ORDER_STATUS_FIELD}={self.status}"


def order_state(order_id: str, rows: list[dict[str, Any]]) -> OrderState:
    """The in-progress order's state in our terms; VendorError when its row is missing or its
    status is not one we can map."""
    row = next((r for r in rows if str(r.get(ORDER_ID_FIELD, "")) == order_id), None)
    if row is None:
        raise VendorError(
            _("Order %(order)s is in progress but not among the orders listed.")
            % {"order": order_id}
        )
    status = str(row.get(ORDER_STATUS_FIELD, "")).strip()
    target = ORDER_STATUS.get(status)
    if target is None:
        raise VendorError(
            _("Order %(order)s has a status we do not know: “%(status)s”.")
            % {"order": order_id, "status": status[:100]},
            code=status[:100],
        )
    reasons: tuple[VendorReason, ...] = ()
    text = row.get(ORDER_REASON_FIELD)
    if target in (S.PROVIDER_REJECTED, S.AUTHORITY_REJECTED) and isinstance(text, str) and text:
        reasons = (VendorReason(field="other", error=text.strip()[:2000], field_text="Tencent"),)
    return OrderState(order_id=order_id, status=status, target=target, reasons=reasons)
