"""What must be in place before an application is submitted for provider review.

Pure: the facts come in as plain values, the gaps go out. `filings.readiness` gathers the facts
from the register (and, through a signal, the materials checklist from `documents`) and
`filings.services.filing_transition` refuses the submission while gaps remain, unless a
manager overrides it with a reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .checklist import DocType, Requirement
from .types import Text
from .workflow import CANCEL_KINDS, FilingKind

__all__ = [
    "DOC_TYPE_FIELDS",
    "Gap",
    "SubjectFacts",
    "material_gap",
    "needs_readiness",
    "subject_gaps",
]


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing missing before submission, with the field (icp.review_fields) that fixes it."""

    code: str
    field: str
    message: Text
    doc_type: str = ""
    service_kind: str = ""  # "miniprogram" | "domain" | "" (the operator)
    service_id: int | None = None
    preapproval_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "message": str(self.message),
            "doc_type": self.doc_type,
            "service_kind": self.service_kind,
            "service_id": self.service_id,
            "preapproval_id": self.preapproval_id,
        }


@dataclass(frozen=True, slots=True)
class SubjectFacts:
    """The application's subject as the register has it."""

    kind: str  # "miniprogram" | "domain" | "" (the entity alone)
    id: int | None
    name: str
    service_people: int = 0
    real_name_verified: bool = False
    registrant_name: str = ""
    expires_on: datetime.date | None = None


# Which field of the register a missing document belongs to (for the label and the link).
DOC_TYPE_FIELDS: dict[str, str] = {
    DocType.BUSINESS_LICENCE: "business_licence",
    DocType.USCC_CERTIFICATE: "business_licence",
    DocType.ENTITY_PERSON_ID: "entity_person",
    DocType.SERVICE_PERSON_ID: "service_person",
    DocType.COMMITMENT_LETTER: "commitment_letter",
    DocType.AUTHORISATION_LETTER: "authorisation_letter",
    DocType.PREAPPROVAL_LICENCE: "preapproval",
    DocType.NO_PREAPPROVAL_COMMITMENT: "preapproval",
    DocType.DOMAIN_CERTIFICATE: "domain",
}


def needs_readiness(kind: str) -> bool:
    """Cancellations send no materials; every other kind is checked before submission."""
    return FilingKind(kind) not in CANCEL_KINDS


def subject_gaps(
    subject: SubjectFacts,
    *,
    operator_name: str,
    min_domain_validity_days: int | None,
    as_of: datetime.date,
) -> list[Gap]:
    """Register checks: the service responsible person, and a domain fit to be filed."""
    if not subject.kind:
        return []
    gaps: list[Gap] = []
    values = {"name": subject.name}

    def add(code: str, field: str, message: Text) -> None:
        gaps.append(Gap(code, field, message, service_kind=subject.kind, service_id=subject.id))

    if subject.service_people == 0:
        add(
            "service_person",
            "service_person",
            _("%(name)s has no service responsible person (服务负责人).") % values,
        )
    if subject.kind != "domain":
        return gaps
    if not subject.real_name_verified:
        add(
            "domain_real_name",
            "domain_real_name",
            _("%(name)s is not real-name verified at the registrar.") % values,
        )
    if subject.registrant_name.strip() != operator_name.strip():
        add(
            "domain_registrant",
            "domain_registrant",
            _("The registrant of %(name)s is not the operator “%(operator)s”.")
            % {**values, "operator": operator_name},
        )
    if min_domain_validity_days:
        days = min_domain_validity_days
        if subject.expires_on is None:
            add(
                "domain_validity",
                "domain_expiry",
                _("Record when %(name)s expires: this province wants %(days)d days left.")
                % {**values, "days": days},
            )
        elif subject.expires_on < as_of + datetime.timedelta(days=days):
            add(
                "domain_validity",
                "domain_expiry",
                _(
                    "%(name)s expires on %(date)s; this province wants at least %(days)d "
                    "days of validity left: renew it first."
                )
                % {**values, "days": days, "date": subject.expires_on.isoformat()},
            )
    return gaps


def material_gap(requirement: Requirement, *, expired: bool) -> Gap:
    """A required document that is missing or expired."""
    service = requirement.service
    label = {"label": requirement.label}
    if service is not None:
        label["name"] = service.name
        message = (
            _("%(label)s for %(name)s has expired.")
            if expired
            else _("%(label)s for %(name)s is missing.")
        ) % label
    else:
        message = (_("%(label)s has expired.") if expired else _("%(label)s is missing.")) % label
    return Gap(
        "material",
        DOC_TYPE_FIELDS.get(requirement.doc_type, "materials"),
        message,
        doc_type=requirement.doc_type,
        service_kind=service.kind if service else "",
        service_id=service.id if service else None,
        preapproval_id=requirement.preapproval_id,
    )
