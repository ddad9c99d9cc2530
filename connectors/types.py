"""The vendor's view of one object, in our terms: what every connector kind hands to
`connectors.apply`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from icp.workflow import FilingStatus


@dataclass(frozen=True)
class VendorReason:
    """One rejection reason as the vendor gave it (WeChat audit_data: key_name, error,
    suggest), with the key mapped to `icp.review_fields` ("other" + text when unknown)."""

    field: str
    error: str
    suggestion: str = ""
    field_text: str = ""

    def as_reason(self) -> dict[str, str]:
        return {
            "field": self.field,
            "field_text": self.field_text,
            "error": self.error,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class VendorObject:
    """An object a connector account can see at the vendor (an authorized mini-program, a
    domain of the entity), before its state is read."""

    kind: str  # connectors.models.LinkKind
    external_id: str
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class VendorFiling:
    """The filing state of one object at the vendor.

    `target` is where our application should be (None: not filed there, with
    `not_filed_reason`); `vendor_status` the vendor's own words for the note ("status=4
    sms_verify_status=1"); `raw` what is kept on the link for people to read (no secrets).
    """

    kind: str
    external_id: str
    label: str
    target: FilingStatus | None
    vendor_status: str
    reasons: tuple[VendorReason, ...] = ()
    number: str = ""
    canceling: bool = False
    not_filed_reason: str = ""
    reference: str = ""
    banned: bool = False
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def digest(self) -> str:
        """What was applied, as a hash: the same state seen again changes nothing."""
        parts = [
            self.target or "",
            self.vendor_status,
            [r.as_reason() for r in self.reasons],
            self.number,
            self.canceling,
            self.not_filed_reason,
            self.banned,
        ]
        text = json.dumps(parts, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()
