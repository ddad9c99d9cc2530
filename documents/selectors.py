"""Reads of filing materials, scoped to the requesting user, and the per-operator checklist."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import operator_scope_q
from accounts.types import User
from icp.checklist import PreApprovalFacts, Requirement, ServiceFacts, requirements_for
from miniprograms.models import Domain, Lifecycle, MiniProgram, Operator, PreApproval

from .models import Document, LicenceAnnualReport

EXPIRING_SOON_DAYS = 30


def document_list_for_user(*, user: User) -> QuerySet[Document]:
    """Documents of the operators the user may see."""
    return Document.objects.filter(operator_scope_q(user=user, prefix="operator__")).select_related(
        "operator", "miniprogram", "domain", "preapproval", "uploaded_by"
    )


def document_get_for_user(*, user: User, document_id: int) -> Document:
    """Raises Document.DoesNotExist for missing and not-yours alike."""
    return document_list_for_user(user=user).get(pk=document_id)


def annual_report_list_for_user(*, user: User) -> QuerySet[LicenceAnnualReport]:
    """Licence annual reports of the operators the user may see, newest year first."""
    return (
        LicenceAnnualReport.objects.filter(
            operator_scope_q(user=user, prefix="licence__operator__")
        )
        .select_related("licence", "receipt")
        .order_by("licence_id", "-year")
    )


class ItemStatus:
    """The status of one checklist row."""

    PRESENT = "present"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"
    OPTIONAL = "optional"  # a conditional item with nothing uploaded


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One requirement of the checklist with its matching document, if any."""

    requirement: Requirement
    document: Document | None
    status: str

    @property
    def is_gap(self) -> bool:
        """Whether the row is a gap: the document is missing or expired."""
        return self.status in (ItemStatus.MISSING, ItemStatus.EXPIRED)


def _document_key(doc: Document) -> tuple[str, str, int | None, int | None]:
    if doc.miniprogram_id:
        kind, sid = "miniprogram", doc.miniprogram_id
    elif doc.domain_id:
        kind, sid = "domain", doc.domain_id
    else:
        kind, sid = "operator", None
    return (doc.doc_type, kind, sid, doc.preapproval_id)


def _status(doc: Document | None, req: Requirement, as_of: datetime.date) -> str:
    if doc is None:
        return ItemStatus.OPTIONAL if req.conditional else ItemStatus.MISSING
    if doc.expires_on is None:
        return ItemStatus.PRESENT
    if doc.expires_on < as_of:
        return ItemStatus.EXPIRED
    if doc.expires_on <= as_of + datetime.timedelta(days=EXPIRING_SOON_DAYS):
        return ItemStatus.EXPIRING
    return ItemStatus.PRESENT


def operator_checklist(
    *,
    operator: Operator,
    as_of: datetime.date | None = None,
    miniprograms: Iterable[MiniProgram] | None = None,
    domains: Iterable[Domain] | None = None,
    preapprovals: Iterable[PreApproval] | None = None,
) -> list[ChecklistRow]:
    """The materials checklist of one operator (fetch it through a scoped selector first).

    A page that already loaded the operator's mini-programs, domains and pre-approvals passes
    them (same order as here: by name, by category): only the documents are read then.
    """
    as_of = as_of or timezone.localdate()
    if miniprograms is None:
        miniprograms = operator.miniprograms.order_by("name")
    if domains is None:
        domains = operator.domains.order_by("name")
    if preapprovals is None:
        preapprovals = operator.preapprovals.order_by("category", "pk")
    services = [
        ServiceFacts("miniprogram", mp.pk, mp.name)
        for mp in miniprograms
        if mp.lifecycle != Lifecycle.DELISTED
    ] + [ServiceFacts("domain", d.pk, d.display_name) for d in domains]
    pa_facts = [
        PreApprovalFacts(p.pk, p.category, p.miniprogram_id, p.domain_id) for p in preapprovals
    ]
    reqs = requirements_for(
        entity_type=operator.entity_type, services=services, preapprovals=pa_facts
    )
    latest: dict[tuple, Document] = {}
    # Newest first, so the first document seen for a key is the one that counts.
    for doc in operator.documents.order_by("-uploaded_at", "-id"):
        latest.setdefault(_document_key(doc), doc)
    rows = []
    for req in reqs:
        found = latest.get(req.key)
        rows.append(ChecklistRow(req, found, _status(found, req, as_of)))
    return rows
