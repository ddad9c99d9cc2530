"""The materials part of an application's readiness (see `filings.readiness`)."""

from __future__ import annotations

import datetime
from typing import Any

from filings.models import FilingApplication
from icp.readiness import Gap, material_gap

from .selectors import ItemStatus, operator_checklist


def filing_material_gaps(
    *, filing: FilingApplication, as_of: datetime.date, **_kwargs: Any
) -> list[Gap]:
    """Required documents of the operator and of the application's subject that are missing
    or expired (documents of the operator's other services do not hold this one up)."""
    if filing.miniprogram_id:
        subject: tuple[str, int | None] | None = ("miniprogram", filing.miniprogram_id)
    elif filing.domain_id:
        subject = ("domain", filing.domain_id)
    else:
        subject = None
    gaps = []
    for row in operator_checklist(operator=filing.operator, as_of=as_of):
        service = row.requirement.service
        if service is not None and (service.kind, service.id) != subject:
            continue
        if row.is_gap:
            gaps.append(material_gap(row.requirement, expired=row.status == ItemStatus.EXPIRED))
    return gaps


def on_readiness_requested(sender: Any, **kwargs: Any) -> list[Gap]:
    return filing_material_gaps(**kwargs)
