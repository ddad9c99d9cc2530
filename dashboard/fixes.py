"""Where to fix an item: rule → the form that resolves it, and subject → its page.

One entry per rule in compliance.rules.ALL_RULES (a test keeps them complete); switching a
rule to another form is one line. An entry gets the item and a FixContext holding what a
page of items needs looked up in bulk (the in-progress applications of mini-programs), so a
page of 200 rows costs the same queries as a page of 2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from compliance.models import ComplianceItem
from compliance.rules import RuleCode as R
from filings.models import FilingApplication, FilingStatus
from icp.workflow import IN_FLIGHT

# A draft is work in progress too: finish it rather than start another.
IN_PROGRESS = frozenset({FilingStatus.DRAFT, *IN_FLIGHT})


@dataclass(frozen=True)
class FixContext:
    """Bulk look-ups for one page of items."""

    # mini-program id → the newest application for it still in progress
    open_filing: dict[int, int] = field(default_factory=dict)

    @classmethod
    def for_items(cls, items: Sequence[ComplianceItem]) -> FixContext:
        mps = {i.subject_id for i in items if i.subject_type == "miniprogram"}
        if not mps:
            return cls()
        rows = (
            FilingApplication.objects.filter(miniprogram_id__in=mps, status__in=IN_PROGRESS)
            .order_by("miniprogram_id", "pk")
            .values_list("miniprogram_id", "pk")
        )
        return cls(open_filing=dict(rows))  # the last (newest) per mini-program wins


Fix = Callable[[ComplianceItem, FixContext], str]


def _domain_edit(item: ComplianceItem, ctx: FixContext) -> str:
    return reverse("dashboard:domain_edit", args=[item.subject_id])


def _filing_detail(item: ComplianceItem, ctx: FixContext) -> str:
    return reverse("dashboard:filing_detail", args=[item.subject_id])


def _file_service(item: ComplianceItem, ctx: FixContext) -> str:
    """The mini-program's application in progress, else a new one with it preselected."""
    filing_id = ctx.open_filing.get(item.subject_id)
    if filing_id is not None:
        return reverse("dashboard:filing_detail", args=[filing_id])
    query = urlencode({"operator": item.operator_id, "miniprogram": item.subject_id})
    return f"{reverse('dashboard:filing_create')}?{query}"


def _upload_document(item: ComplianceItem, ctx: FixContext) -> str:
    return reverse("documents:upload", args=[item.operator_id])


def _subject_form(name: str) -> Fix:
    """The form of the item's subject (a licence, a pre-approval)."""

    def fix(item: ComplianceItem, ctx: FixContext) -> str:
        return reverse(name, args=[item.subject_id])

    return fix


def _person_edit(item: ComplianceItem, ctx: FixContext) -> str:
    return reverse("dashboard:person_edit", args=[item.operator_id, item.subject_id])


def _notice_detail(item: ComplianceItem, ctx: FixContext) -> str:
    return reverse("monitoring:notice_detail", args=[item.subject_id]) + "#resolve-heading"


def _service_record(item: ComplianceItem, ctx: FixContext) -> str:
    """The service page's record section (restore access or record it offline)."""
    name = (
        "dashboard:domain_detail"
        if item.subject_type == "domain"
        else ("dashboard:miniprogram_detail")
    )
    return reverse(name, args=[item.subject_id]) + "#service-record"


def _operator_page(item: ComplianceItem, ctx: FixContext) -> str:
    return reverse("dashboard:operator_detail", args=[item.operator_id])


def _service_verifications(item: ComplianceItem, ctx: FixContext) -> str:
    """The verifications section of the service's page (upload form, lookup link)."""
    name = (
        "dashboard:domain_detail"
        if item.subject_type == "domain"
        else "dashboard:miniprogram_detail"
    )
    return reverse(name, args=[item.subject_id]) + "#service-verifications"


def _miniprogram_page(item: ComplianceItem, ctx: FixContext) -> str:
    """What a person does elsewhere (the WeChat admin) and records on the mini-program."""
    return reverse("dashboard:miniprogram_detail", args=[item.subject_id])


def _filing_in_progress(item: ComplianceItem, ctx: FixContext) -> str:
    """A face verification belongs to the mini-program's application in progress; without
    one (the connector has not brought it in yet), the mini-program's page."""
    filing_id = ctx.open_filing.get(item.subject_id)
    if filing_id is not None:
        return reverse("dashboard:filing_detail", args=[filing_id])
    return _miniprogram_page(item, ctx)


FIXES: dict[str, Fix] = {
    R.MINIPROGRAM_EXISTING_DEADLINE: _file_service,
    R.INSPECTION_WINDOW: _file_service,
    R.MINIPROGRAM_FILE_BEFORE_LAUNCH: _file_service,
    R.AUTHORITY_REVIEW_SLA: _filing_detail,
    R.SMS_VERIFICATION_WINDOW: _filing_detail,
    R.PROVIDER_REVIEW_SLA: _filing_detail,
    R.CHANGE_NOTICE: _filing_detail,
    R.DOMAIN_EXPIRY: _domain_edit,
    R.DOMAIN_REAL_NAME: _domain_edit,
    R.PSB_FILING: _domain_edit,
    R.DOCUMENT_EXPIRY: _upload_document,
    R.PERSON_ID_EXPIRY: _person_edit,
    R.LICENCE_RENEWAL: _subject_form("dashboard:licence_edit"),
    R.LICENCE_ANNUAL_REPORT: _subject_form("dashboard:licence_annual_report"),
    R.PREAPPROVAL_EXPIRY: _subject_form("dashboard:preapproval_edit"),
    R.SITE_DISPLAY: lambda item, ctx: _page("dashboard:domain_detail", fragment="display")(item),
    R.RECORD_ACCESS_CANCELLED: _service_record,
    R.RECORD_SHELL: _operator_page,
    R.RECORD_INACCURATE: _notice_detail,
    R.PROVIDER_NOTICE: _notice_detail,
    R.ABOUT_SCREEN_CHECK: _service_verifications,
    R.MIIT_RECORD_CHECK: _service_verifications,
    R.MIIT_RECORD_MISMATCH: _service_verifications,
    R.WECHAT_CERTIFICATION_REVIEW: _miniprogram_page,
    R.FACE_VERIFICATION: _filing_in_progress,
}


def fix_urls(items: Sequence[ComplianceItem]) -> dict[int, str]:
    """item id → the URL of the form that resolves it."""
    ctx = FixContext.for_items(items)
    return {i.pk: FIXES[i.rule](i, ctx) for i in items if i.rule in FIXES}


def _page(name: str, *, on_operator: bool = False, fragment: str = "") -> Callable:
    def url(item: ComplianceItem) -> str:
        arg = item.operator_id if on_operator else item.subject_id
        return reverse(name, args=[arg]) + (f"#{fragment}" if fragment else "")

    return url


# subject_type (as the engine emits it, compliance/engine/*.py) → the subject's page
SUBJECT_PAGES: dict[str, Callable[[ComplianceItem], str]] = {
    "miniprogram": _page("dashboard:miniprogram_detail"),
    "domain": _page("dashboard:domain_detail"),
    "filing": _page("dashboard:filing_detail"),
    "person": _page("dashboard:operator_detail", on_operator=True, fragment="operator-people"),
    "licence": _page("dashboard:licence_detail"),
    "preapproval": _page(
        "dashboard:operator_detail", on_operator=True, fragment="operator-preapprovals"
    ),
    "document": _page("documents:checklist", on_operator=True),
    "operator": _page("dashboard:operator_detail", on_operator=True),
    "notice": _page("monitoring:notice_detail"),
}


def subject_url(item: ComplianceItem) -> str:
    page = SUBJECT_PAGES.get(item.subject_type)
    return page(item) if page is not None else ""
