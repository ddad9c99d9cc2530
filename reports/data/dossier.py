"""The operator compliance dossier: one operator, its people, services, filings and papers."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from accounts.types import User
from core.pii import mask_phone
from documents.selectors import document_list_for_user
from filings.models import FilingStatusChange
from filings.selectors import filing_list_for_user
from miniprograms import selectors as register
from miniprograms.models import Operator
from monitoring.display.selectors import dossier_display

from .compliance import attach_compliance, compliance_facts
from .lines import service_lines


def _documents(*, user: User, operator: Operator) -> list[dict]:
    """Pre-approvals, ICP licences and uploaded documents of the operator, with expiry."""
    docs: list[dict] = [
        {
            "type": _("Pre-approval"),
            "name": pa.category,
            "number": pa.licence_number,
            "expires_on": pa.expires_on,
        }
        for pa in register.preapproval_list_for_user(user=user).filter(operator=operator)
    ]
    docs += [
        {
            "type": _("ICP licence"),
            "name": lic.scope,
            "number": lic.number,
            "expires_on": lic.expires_on,
        }
        for lic in register.licence_list_for_user(user=user).filter(operator=operator)
    ]
    docs += [
        {
            "type": d.get_doc_type_display(),
            "name": d.name,
            "number": "",
            "expires_on": d.expires_on,
        }
        for d in document_list_for_user(user=user).filter(operator=operator)
    ]
    return docs


def dossier_context(*, user: User, operator_id: int, as_of: datetime.date) -> dict:
    """Raises Operator.DoesNotExist for missing and not-yours alike."""
    operator = register.operator_get_for_user(user=user, operator_id=operator_id)
    people = [
        {
            "name": p.name,
            "role": p.get_role_display(),
            "id_type": p.get_id_type_display(),
            "id_number": p.id_number_masked,  # always masked in PDFs: they travel
            "id_expires_on": p.id_expires_on,
            "mobile": mask_phone(p.mobile),
            "service": (p.miniprogram.name if p.miniprogram else "")
            or (p.domain.display_name if p.domain else ""),
        }
        for p in register.person_list_for_user(user=user).filter(operator=operator)
    ]
    lines = service_lines(user=user, operators=[operator])
    history = FilingStatusChange.objects.select_related("actor").prefetch_related("reasons")
    filings = list(
        filing_list_for_user(user=user)
        .filter(operator=operator)
        .prefetch_related(Prefetch("status_changes", queryset=history))
        .order_by("created_at", "id")
    )
    facts = compliance_facts(user=user, as_of=as_of, operator_id=operator.pk)
    attach_compliance(lines, facts.worst)
    return {
        "operator": operator,
        "people": people,
        "services": lines,
        "filings": filings,
        "overdue": facts.overdue,
        "due_soon": facts.due_soon,
        "documents": _documents(user=user, operator=operator),
        "display_checks": dossier_display(user=user, operator_id=operator.pk),
        "as_of": as_of,
    }
