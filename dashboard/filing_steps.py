"""What the application page shows around the workflow buttons: the readiness gaps and the
latest rejection's reasons, each linked to the form that fixes it, and the steps that remain
after approval (public-security filing, displaying the number, the service's lifecycle)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape

from compliance.rules import RuleCode
from compliance.selectors import rule_params
from filings.models import FilingApplication, FilingStatus, FilingStatusChange, RejectionReason
from filings.readiness import filing_readiness
from icp import review_fields
from icp.readiness import Gap
from icp.workflow import REJECTED, allowed_targets
from miniprograms.models import Lifecycle, PersonRole

MIIT_BEIAN_URL = "https://beian.miit.gov.cn/"

_OPERATOR_FIELDS = {"operator_name", "entity_type", "uscc", "operator_address"}
_DOMAIN_FIELDS = {"domain", "domain_real_name", "domain_registrant", "domain_expiry"}
_SERVICE_FIELDS = {"service_name", "appid", "content_category"}
_PERSON_FIELDS = {"service_person", "mobile", "email"}
_CHECKLIST_FIELDS = {"business_licence", "commitment_letter", "authorisation_letter", "materials"}


def _detail(filing: FilingApplication) -> str:
    return reverse("dashboard:filing_detail", kwargs={"filing_id": filing.pk})


def _with_query(url: str, **params: object) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(kept)}" if kept else url


def _upload_url(
    filing: FilingApplication,
    doc_type: str,
    *,
    service_kind: str = "",
    service_id: int | None = None,
    preapproval_id: int | None = None,
) -> str:
    params: dict[str, object] = {"doc_type": doc_type, "filing": filing.pk}
    if service_kind and service_id:
        params[service_kind] = service_id
    params["preapproval"] = preapproval_id
    params["next"] = _detail(filing)
    return _with_query(
        reverse("documents:upload", kwargs={"operator_id": filing.operator_id}), **params
    )


def _subject_query(filing: FilingApplication) -> dict[str, object]:
    return {"miniprogram": filing.miniprogram_id, "domain": filing.domain_id}


def _operator_form(filing: FilingApplication, field: str) -> str | None:
    return reverse("dashboard:operator_edit", kwargs={"operator_id": filing.operator_id})


def _service_form(filing: FilingApplication, field: str) -> str | None:
    if filing.domain_id:
        return reverse("dashboard:domain_edit", kwargs={"domain_id": filing.domain_id})
    if filing.miniprogram_id and field not in _DOMAIN_FIELDS - {"domain"}:
        return reverse(
            "dashboard:miniprogram_edit", kwargs={"miniprogram_id": filing.miniprogram_id}
        )
    return None


def _person_form(filing: FilingApplication, field: str) -> str | None:
    role = PersonRole.ENTITY if field == "entity_person" else PersonRole.SERVICE
    query = _subject_query(filing) if role == PersonRole.SERVICE else {}
    url = reverse("dashboard:person_create", kwargs={"operator_id": filing.operator_id})
    return _with_query(url, role=role, **query)


def _id_copy_upload(filing: FilingApplication, field: str) -> str | None:
    if filing.miniprogram_id or filing.domain_id:
        kind = "miniprogram" if filing.miniprogram_id else "domain"
        return _upload_url(
            filing,
            "service_person_id",
            service_kind=kind,
            service_id=filing.miniprogram_id or filing.domain_id,
        )
    return _upload_url(filing, "entity_person_id")


def _preapproval_form(filing: FilingApplication, field: str) -> str | None:
    url = reverse("dashboard:preapproval_create", kwargs={"operator_id": filing.operator_id})
    return _with_query(url, **_subject_query(filing))


def _checklist(filing: FilingApplication, field: str) -> str | None:
    return reverse("documents:checklist", kwargs={"operator_id": filing.operator_id})


_FIXERS = (
    (_OPERATOR_FIELDS, _operator_form),
    (_DOMAIN_FIELDS | _SERVICE_FIELDS, _service_form),
    (_PERSON_FIELDS | {"entity_person"}, _person_form),
    ({"id_card_front", "id_card_back"}, _id_copy_upload),
    ({"preapproval"}, _preapproval_form),
    (_CHECKLIST_FIELDS, _checklist),
)


def fix_url(filing: FilingApplication, field: str) -> str:
    """The form that fixes `field` (a key of icp.review_fields) for this application; the
    application's own form for "other" and for keys the register does not hold."""
    for fields, build in _FIXERS:
        if field in fields:
            url = build(filing, field)
            if url:
                return url
    return reverse("dashboard:filing_edit", kwargs={"filing_id": filing.pk})


def gap_url(filing: FilingApplication, gap: Gap) -> str | None:
    if gap.code == "material":
        return _upload_url(
            filing,
            gap.doc_type,
            service_kind=gap.service_kind,
            service_id=gap.service_id,
            preapproval_id=gap.preapproval_id,
        )
    return fix_url(filing, gap.field)


@dataclass(frozen=True)
class LinkedGap:
    gap: Gap
    label: str
    url: str | None


def readiness_for_page(filing: FilingApplication) -> list[LinkedGap] | None:
    """The gaps before "submit for provider review", or None when that step is not next."""
    allowed = allowed_targets(filing.status, kind=filing.kind, channel=filing.channel)
    if FilingStatus.PROVIDER_REVIEW not in allowed:
        return None
    return [
        LinkedGap(g, review_fields.field_label(g.field), gap_url(filing, g))
        for g in filing_readiness(filing)
    ]


@dataclass(frozen=True)
class LinkedReason:
    reason: RejectionReason
    url: str | None


def latest_rejection(
    filing: FilingApplication, history: list[FilingStatusChange]
) -> tuple[FilingStatusChange, list[LinkedReason]] | None:
    """The last rejection and its reasons while the application is being corrected."""
    if filing.status not in REJECTED and filing.status != FilingStatus.DRAFT:
        return None
    rejections = [c for c in history if c.to_status in REJECTED]
    if not rejections:
        return None
    change = rejections[-1]
    return change, [LinkedReason(r, fix_url(filing, r.field)) for r in change.reasons.all()]


@dataclass(frozen=True)
class AfterApproval:
    approved_on: datetime.date
    psb_due: datetime.date | None  # websites only, while the rule is active
    psb_days: int
    psb_number: str
    snippet: str
    service_url: str | None
    service_live: bool


def after_approval(
    filing: FilingApplication, history: list[FilingStatusChange]
) -> AfterApproval | None:
    if filing.status != FilingStatus.APPROVED or not filing.icp_number:
        return None
    approvals = [c for c in history if c.to_status == FilingStatus.APPROVED]
    approved_at = approvals[-1].created_at if approvals else filing.status_entered_at
    approved_on = timezone.localdate(approved_at)  # the Beijing day, not the UTC one
    psb_due, psb_number, psb_days = None, "", 0
    service_url, service_live = None, True
    params = rule_params(RuleCode.PSB_FILING)
    if filing.domain is not None:
        if params is not None:
            psb_days = int(params["days"])
            psb_due = approved_on + datetime.timedelta(days=psb_days)
        psb_number = filing.domain.psb_number
        service_url = reverse("dashboard:domain_edit", kwargs={"domain_id": filing.domain_id})
        service_live = filing.domain.live_since is not None
    elif filing.miniprogram is not None:
        service_url = reverse(
            "dashboard:miniprogram_edit", kwargs={"miniprogram_id": filing.miniprogram_id}
        )
        service_live = filing.miniprogram.lifecycle == Lifecycle.LIVE
    # Text to paste into the site, shown escaped on the page (never rendered as a link here).
    number = conditional_escape(filing.icp_number)
    snippet = f'<a href="{MIIT_BEIAN_URL}" target="_blank" rel="noopener">{number}</a>'
    return AfterApproval(
        approved_on, psb_due, psb_days, psb_number, snippet, service_url, service_live
    )
