"""Pre-approval licences and uploaded documents: due soon inside the warning window,
overdue from the day after expiry."""

import pytest
from django.core.files.base import ContentFile

from compliance.rules import RuleCode as R
from documents.models import Document
from miniprograms.models import PreApproval
from tests.factories import OperatorFactory

from .helpers import D, item_for

pytestmark = pytest.mark.django_db


def test_preapproval_expiry_60_days():
    op = OperatorFactory()
    pa = PreApproval.objects.create(
        organization=op.organization,
        operator=op,
        category="药品和医疗器械",
        licence_number="(鄂)-非经营性-2022-0088",
        expires_on=D(2025, 3, 31),
    )
    rule = R.PREAPPROVAL_EXPIRY
    assert item_for(rule, pa, D(2025, 1, 29)).status == "compliant"  # 61 days left
    assert item_for(rule, pa, D(2025, 1, 30)).status == "due_soon"  # 60 days left
    assert item_for(rule, pa, D(2025, 3, 31)).status == "due_soon"
    late = item_for(rule, pa, D(2025, 4, 1))
    assert (late.status, late.subject_type, late.due_date) == (
        "overdue",
        "preapproval",
        D(2025, 3, 31),
    )
    assert "药品和医疗器械" in late.message


def test_document_expiry_30_days_and_undated_documents_ignored():
    op = OperatorFactory()

    def doc(expires_on):
        return Document.objects.create(
            organization=op.organization,
            operator=op,
            doc_type="business_licence",
            name="营业执照",
            file=ContentFile(b"%PDF-1.4", name="x.pdf"),
            original_name="x.pdf",
            content_type="application/pdf",
            size=8,
            expires_on=expires_on,
        )

    dated, undated = doc(D(2026, 6, 30)), doc(None)
    rule = R.DOCUMENT_EXPIRY
    assert item_for(rule, dated, D(2026, 5, 30)).status == "compliant"  # 31 days left
    assert item_for(rule, dated, D(2026, 5, 31)).status == "due_soon"  # 30 days left
    assert item_for(rule, dated, D(2026, 7, 1)).status == "overdue"
    assert item_for(rule, undated, D(2026, 7, 1), subject_type="document") is None
