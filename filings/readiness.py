"""Readiness of an application for submission: what is still missing, from the register and
from the apps above (materials), as a list of `icp.readiness.Gap`.

`filings.services.filing_transition` refuses "submit for provider review" while this list is not
empty, unless a manager overrides it with a reason. The rules themselves are in `icp.readiness`.
"""

from __future__ import annotations

import datetime
from typing import cast

from django.utils import timezone

from icp.readiness import Gap, SubjectFacts, needs_readiness, subject_gaps
from miniprograms.models import PersonRole, RealNameStatus, ResponsiblePerson

from .models import FilingApplication
from .signals import readiness_requested


def _subject_facts(filing: FilingApplication) -> SubjectFacts:
    people = ResponsiblePerson.objects.filter(
        operator_id=filing.operator_id, role=PersonRole.SERVICE
    )
    mp, domain = filing.miniprogram, filing.domain
    if mp is not None:
        return SubjectFacts(
            "miniprogram",
            mp.pk,
            mp.name,
            service_people=people.filter(miniprogram_id=mp.pk).count(),
        )
    if domain is not None:
        return SubjectFacts(
            "domain",
            domain.pk,
            domain.display_name,
            service_people=people.filter(domain_id=domain.pk).count(),
            real_name_verified=domain.real_name_status == RealNameStatus.VERIFIED,
            registrant_name=domain.registrant_name,
            expires_on=domain.expires_on,
        )
    return SubjectFacts("", None, filing.operator.name_zh)


def filing_readiness(filing: FilingApplication, *, as_of: datetime.date | None = None) -> list[Gap]:
    """What stops `filing` from being submitted now (empty: ready). Cancellations need nothing.

    The caller fetched `filing` through a scoped selector (or holds its row lock).
    """
    if not needs_readiness(filing.kind):
        return []
    as_of = as_of or timezone.localdate()
    operator = filing.operator
    gaps = subject_gaps(
        _subject_facts(filing),
        operator_name=operator.name_zh,
        min_domain_validity_days=operator.province.domain_min_validity_days,
        as_of=as_of,
    )
    for _receiver, found in readiness_requested.send(
        sender=FilingApplication, filing=filing, as_of=as_of
    ):
        gaps.extend(cast("list[Gap]", found) or [])
    return gaps
