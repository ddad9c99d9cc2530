"""Complete the register and materials of an application so that it may be submitted."""

from __future__ import annotations

import datetime

from django.utils import timezone

from filings.models import FilingApplication
from filings.readiness import filing_readiness
from miniprograms.models import PersonRole, RealNameStatus

from .documents import DocumentFactory
from .miniprograms import PersonFactory


def make_ready(filing: FilingApplication) -> FilingApplication:
    """Fill every gap the readiness check lists (a service person, the documents, a domain
    verified in the operator's name with years of validity) and check none is left."""
    domain = filing.domain
    for gap in filing_readiness(filing):
        if gap.code == "service_person":
            PersonFactory(
                operator=filing.operator,
                role=PersonRole.SERVICE,
                miniprogram=filing.miniprogram,
                domain=domain,
            )
        elif gap.code == "material":
            DocumentFactory(
                operator=filing.operator,
                doc_type=gap.doc_type,
                name=gap.doc_type,
                miniprogram_id=gap.service_id if gap.service_kind == "miniprogram" else None,
                domain_id=gap.service_id if gap.service_kind == "domain" else None,
                preapproval_id=gap.preapproval_id,
            )
        elif domain is not None:
            domain.real_name_status = RealNameStatus.VERIFIED
            domain.registrant_name = filing.operator.name_zh
            domain.expires_on = timezone.localdate() + datetime.timedelta(days=3 * 365)
            domain.save()
    left = filing_readiness(filing)
    assert not left, left
    return filing
