"""CSV and XLSX exports of the lists, filtered exactly like the API lists and the pages.

The rows of each resource are its user-scoped selector filtered by the resource's FilterSet
(`miniprograms/filters.py`, `filings/filters.py`): the same query parameters and the same
rows as `/api/v1/<resource>/` and the dashboard page, and never a row the list would not show.
Cells that a spreadsheet would run as a formula are neutralised, and personal data is masked
unless the user may reveal it.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts.access import can_reveal_pii
from accounts.types import User
from core import pii
from core.filters import ListFilterSet
from filings.filters import FilingFilterSet
from filings.selectors import filing_list_for_user
from miniprograms.filters import (
    DomainFilterSet,
    MiniProgramFilterSet,
    OperatorFilterSet,
    PersonFilterSet,
)
from miniprograms.selectors import (
    domain_list_for_user,
    miniprogram_list_for_user,
    operator_list_for_user,
    person_list_for_user,
)

logger = logging.getLogger(__name__)
audit_log = logging.getLogger("icpfiling.audit")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


def neutralise(value):
    """Prefix a text cell that a spreadsheet would evaluate (=, +, -, @, tab, CR) with '."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class ExportError(ValueError):
    """Bad query parameters; `detail` is what the API would answer (400)."""

    def __init__(self, detail) -> None:
        super().__init__(str(detail))
        self.detail = detail


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation
    get: Callable


@dataclass(frozen=True)
class Resource:
    name: str
    columns: Callable[[bool], list[Column]]  # reveal -> columns
    rows: Callable[..., Iterable]  # (user, params) -> objects


def _dt(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def _filtered_rows(filterset_class: type[ListFilterSet], selector: Callable[..., QuerySet]):
    """Rows of one list: the user's scoped queryset through the list's own FilterSet."""

    def rows(*, user: User, params: QueryDict) -> Iterable:
        filterset = filterset_class(data=params, queryset=selector(user=user), user=user)
        if not filterset.is_valid():
            raise ExportError(filterset.errors)
        qs = filterset.qs
        return qs.iterator(chunk_size=2000) if not qs._prefetch_related_lookups else qs

    return rows


def _operator_columns(reveal: bool) -> list[Column]:
    return [
        Column("id", _("ID"), lambda o: o.pk),
        Column("organization", _("Organization"), lambda o: o.organization.name),
        Column("name_zh", _("Legal name (Chinese)"), lambda o: o.name_zh),
        Column("name_en", _("English name"), lambda o: o.name_en),
        Column("entity_type", _("Entity type"), lambda o: str(o.get_entity_type_display())),
        Column("uscc", _("Unified Social Credit Code"), lambda o: o.uscc),
        Column("province", _("Province code"), lambda o: o.province_id),
        Column("province_name", _("Province"), lambda o: o.province.name_zh),
        Column("address", _("Address"), lambda o: o.address),
        Column("entity_number", _("Entity filing number"), lambda o: o.entity_number),
        Column("created_at", _("Created"), lambda o: _dt(o.created_at)),
    ]


def _miniprogram_columns(reveal: bool) -> list[Column]:
    return [
        Column("id", _("ID"), lambda m: m.pk),
        Column("operator", _("Operator"), lambda m: m.operator.name_zh),
        Column("operator_uscc", _("Operator USCC"), lambda m: m.operator.uscc),
        Column("name", _("Name"), lambda m: m.name),
        Column("kind", _("Kind"), lambda m: str(m.get_kind_display())),
        Column("platform", _("Platform"), lambda m: str(m.get_platform_display())),
        Column("appid", _("AppID"), lambda m: m.appid),
        Column("launch_date", _("Launch date"), lambda m: m.launch_date),
        Column("lifecycle", _("Lifecycle"), lambda m: str(m.get_lifecycle_display())),
        Column("content_category", _("Content category"), lambda m: m.content_category),
        Column("icp_number", _("Filing number"), lambda m: m.icp_number),
    ]


def _domain_columns(reveal: bool) -> list[Column]:
    return [
        Column("id", _("ID"), lambda d: d.pk),
        Column("operator", _("Operator"), lambda d: d.operator.name_zh),
        Column("operator_uscc", _("Operator USCC"), lambda d: d.operator.uscc),
        Column("domain", _("Domain"), lambda d: d.display_name),
        Column("name", _("Domain (ASCII)"), lambda d: d.name),
        Column("site_name", _("Site name"), lambda d: d.site_name),
        Column("registrar", _("Registrar"), lambda d: d.registrar),
        Column(
            "real_name_status",
            _("Real-name verification"),
            lambda d: str(d.get_real_name_status_display()),
        ),
        Column("registrant_name", _("Registrant"), lambda d: d.registrant_name),
        Column("registrant_mismatch", _("Registrant differs"), lambda d: d.registrant_mismatch),
        Column("expires_on", _("Expires on"), lambda d: d.expires_on),
        Column("icp_number", _("Filing number"), lambda d: d.icp_number),
        Column("psb_number", _("Public-security filing number"), lambda d: d.psb_number),
    ]


def _filing_columns(reveal: bool) -> list[Column]:
    return [
        Column("id", _("ID"), lambda f: f.pk),
        Column("operator", _("Operator"), lambda f: f.operator.name_zh),
        Column("province", _("Province"), lambda f: f.operator.province.name_zh),
        Column("subject", _("Subject"), lambda f: f.subject_name),
        Column("kind", _("Kind"), lambda f: str(f.get_kind_display())),
        Column("channel", _("Channel"), lambda f: str(f.get_channel_display())),
        Column("status", _("Status"), lambda f: str(f.get_status_display())),
        Column("status_entered_at", _("In this status since"), lambda f: _dt(f.status_entered_at)),
        Column("icp_number", _("Filing number"), lambda f: f.icp_number),
        Column("reference", _("Provider's order number"), lambda f: f.reference),
        Column("created_at", _("Created"), lambda f: _dt(f.created_at)),
    ]


def _person_columns(reveal: bool) -> list[Column]:
    if reveal:
        id_number, mobile = (lambda p: p.reveal_id_number()), (lambda p: p.mobile)
    else:
        id_number, mobile = (lambda p: p.id_number_masked), (lambda p: pii.mask_phone(p.mobile))
    return [
        Column("id", _("ID"), lambda p: p.pk),
        Column("operator", _("Operator"), lambda p: p.operator.name_zh),
        Column("role", _("Role"), lambda p: str(p.get_role_display())),
        Column("name", _("Name"), lambda p: p.name),
        Column("id_type", _("ID type"), lambda p: str(p.get_id_type_display())),
        Column("id_number", _("ID number"), id_number),
        Column("id_expires_on", _("ID valid until"), lambda p: p.id_expires_on),
        Column("mobile", _("Mobile"), mobile),
        Column("email", _("Email"), lambda p: p.email),
    ]


def _compliance_columns(reveal: bool) -> list[Column]:
    return [
        Column("rule", _("Rule"), lambda i: i.rule),
        Column("status", _("Status"), lambda i: i.status),
        Column("due_date", _("Due"), lambda i: i.due_date),
        Column("estimated", _("Estimated"), lambda i: i.estimated),
        Column("operator", _("Operator"), lambda i: i.operator_name),
        Column("province", _("Province code"), lambda i: i.province_code),
        Column("subject_type", _("Subject type"), lambda i: i.subject_type),
        Column("subject", _("Subject"), lambda i: i.subject_name),
        Column("message", _("What to do"), lambda i: i.message),
    ]


def _compliance_rows(*, user: User, params: QueryDict):
    """Same parameters as /api/v1/compliance/ (as_of, operator, province, status, rule):
    today the maintained rows, streamed; another date the engine (large exports run in the
    background)."""
    from compliance.api import ComplianceQuerySerializer
    from compliance.selectors import compliance_items_for_user, is_today, item_list_for_user
    from miniprograms.models import Operator

    q = ComplianceQuerySerializer(data=params)
    if not q.is_valid():
        raise ExportError(q.errors)
    v = q.validated_data
    as_of = v.get("as_of") or timezone.localdate()
    filters = {
        "operator_id": v.get("operator"),
        "province": v.get("province"),
        "status": v.get("status"),
        "rule": v.get("rule"),
    }
    try:
        if is_today(as_of):
            return item_list_for_user(user=user, **filters).iterator(chunk_size=2000)
        return compliance_items_for_user(user=user, as_of=as_of, **filters)
    except Operator.DoesNotExist:
        raise ExportError({"operator": [_("Operator not found.")]}) from None


RESOURCES: dict[str, Resource] = {
    "operators": Resource(
        "operators", _operator_columns, _filtered_rows(OperatorFilterSet, operator_list_for_user)
    ),
    "miniprograms": Resource(
        "miniprograms",
        _miniprogram_columns,
        _filtered_rows(MiniProgramFilterSet, miniprogram_list_for_user),
    ),
    "domains": Resource(
        "domains", _domain_columns, _filtered_rows(DomainFilterSet, domain_list_for_user)
    ),
    "filings": Resource(
        "filings", _filing_columns, _filtered_rows(FilingFilterSet, filing_list_for_user)
    ),
    "persons": Resource(
        "persons", _person_columns, _filtered_rows(PersonFilterSet, person_list_for_user)
    ),
    "compliance": Resource("compliance", _compliance_columns, _compliance_rows),
}


def _clean_params(params: QueryDict) -> QueryDict:
    cleaned = params.copy()
    for key in ("format", "page", "page_size", "limit", "offset"):
        cleaned.pop(key, None)
    return cleaned


def export_rows(
    *, user: User, resource: str, params: QueryDict
) -> tuple[list[Column], Iterator[list]]:
    """Header columns and an iterator of neutralised row values. Raises KeyError for an
    unknown resource, ExportError for bad filters."""
    res = RESOURCES[resource]
    reveal = resource == "persons" and can_reveal_pii(user)
    if reveal:
        audit_log.info("user=%s exported unmasked personal data (persons)", user.pk)
    columns = res.columns(reveal)
    objects = res.rows(user=user, params=_clean_params(params))

    def gen() -> Iterator[list]:
        for obj in objects:
            yield [neutralise(col.get(obj)) for col in columns]

    return columns, gen()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Echo:
    def write(self, value):
        return value


def csv_stream(columns: list[Column], rows: Iterator[list]) -> Iterator[str]:
    """CSV lines; starts with a BOM so that Excel reads the UTF-8 Chinese text correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(str(c.label)) for c in columns])
    for row in rows:
        yield writer.writerow([_text(v) for v in row])


def xlsx_bytes(columns: list[Column], rows: Iterator[list], *, title: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append([neutralise(str(c.label)) for c in columns])
    for row in rows:
        ws.append([_xlsx_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_cell(value):
    if isinstance(value, str):
        # Drop control characters the format cannot hold, then neutralise again: a value
        # like "\x01=cmd" would otherwise start with "=" once cleaned.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def export_filename(resource: str, fmt: str) -> str:
    return f"{resource}-{timezone.localdate().isoformat()}.{fmt}"
