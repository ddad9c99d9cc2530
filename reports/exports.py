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
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import IO, Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts.access import can_reveal_pii, organization_list_for_user
from accounts.models import Organization
from accounts.types import User
from audit.actions import AccessAction
from audit.services import record_event
from compliance.service_states import DomainComplianceFilterSet, MiniProgramComplianceFilterSet
from core import pii
from core.filters import ListFilterSet
from core.spreadsheet import FORMULA_PREFIXES, neutralise
from filings.filters import FilingFilterSet
from filings.selectors import filing_list_for_user
from miniprograms.filters import OperatorFilterSet, PersonFilterSet
from miniprograms.selectors import (
    domain_list_for_user,
    miniprogram_list_for_user,
    operator_list_for_user,
    person_list_for_user,
)

from . import export_columns
from .export_columns import Field

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000  # rows fetched per round trip of the server-side cursor
STREAM_CHUNK = 64 * 1024  # characters of CSV per streamed piece


class ExportError(ValueError):
    """Bad query parameters; `detail` is what the API would answer (400)."""

    def __init__(self, detail) -> None:
        super().__init__(str(detail))
        self.detail = detail


@dataclass(frozen=True)
class Column:
    """A column computed from one object (the compliance items, which are not table rows)."""

    key: str
    label: object  # lazy translation
    get: Callable


@dataclass(frozen=True)
class Resource:
    name: str
    columns: Callable[[bool], list]  # reveal -> [Field] (a table) or [Column] (compliance)
    rows: Callable[..., Iterable]  # (user, params) -> filtered queryset, or the objects


def _filtered_rows(filterset_class: type[ListFilterSet], selector: Callable[..., QuerySet]):
    """Rows of one list: the user's scoped queryset through the list's own FilterSet."""

    def rows(*, user: User, params: QueryDict) -> QuerySet:
        filterset = filterset_class(data=params, queryset=selector(user=user), user=user)
        if not filterset.is_valid():
            raise ExportError(filterset.errors)
        return filterset.qs

    return rows


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


def _worklist_columns(reveal: bool) -> list[Column]:
    from compliance.rules import ALL_RULES, rule_label
    from compliance.types import ComplianceStatus

    # Translated once per export, not once per row (get_FOO_display hashes lazy choices).
    rules = {code: rule_label(code) for code in ALL_RULES}
    statuses = {value: str(label) for value, label in ComplianceStatus.choices}

    def owner(i) -> str:
        if i.owner is not None:
            return i.owner.get_username()
        return i.default_owner.get_username() if i.default_owner is not None else ""

    return [
        Column("id", _("Item"), lambda i: i.pk),
        Column("operator", _("Client"), lambda i: i.operator_name),
        Column("province", _("Province code"), lambda i: i.province_code),
        Column("subject_type", _("Subject type"), lambda i: i.subject_type),
        Column("subject", _("Subject"), lambda i: i.subject_name),
        Column("rule", _("Rule"), lambda i: rules.get(i.rule, i.rule)),
        Column("status", _("Status"), lambda i: statuses.get(i.status, i.status)),
        Column("takedown_risk", _("Takedown risk"), lambda i: i.priority == 3),
        Column("due_date", _("Due"), lambda i: i.due_date),
        Column(
            "due_at",
            _("Due at (Beijing time)"),
            lambda i: timezone.localtime(i.due_at).replace(tzinfo=None) if i.due_at else None,
        ),
        Column("time_left", _("Time left"), lambda i: i.time_left),
        Column("message", _("What to do"), lambda i: i.message),
        Column("owner", _("Owner"), owner),
        Column("owner_is_default", _("Owner by assignment"), lambda i: i.owner is None),
        Column("snoozed_until", _("Snoozed until"), lambda i: i.snoozed_until),
        Column("snooze_reason", _("Snooze reason"), lambda i: i.snooze_reason),
        Column("acknowledged_at", _("Acknowledged"), lambda i: _local(i.acknowledged_at)),
        Column(
            "acknowledged_by",
            _("Acknowledged by"),
            lambda i: i.acknowledged_by.get_username() if i.acknowledged_by else "",
        ),
        Column("fix_url", _("Fix it"), lambda i: i.fix_url),
    ]


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _worklist_rows(*, user: User, params: QueryDict) -> Iterator:
    """The worklist's rows with its filters (compliance.filters.ItemFilterSet), streamed in
    batches that each get their default owners and fix links in a fixed number of queries."""
    from compliance.filters import ItemFilterSet
    from compliance.worklist import annotate_rows, worklist_for_user

    filterset = ItemFilterSet(data=params, queryset=worklist_for_user(user=user), user=user)
    if not filterset.is_valid():
        raise ExportError(filterset.errors)
    qs = filterset.qs

    def gen() -> Iterator:
        batch: list = []
        for item in qs.iterator(chunk_size=CHUNK_SIZE):
            batch.append(item)
            if len(batch) >= WORKLIST_BATCH:
                yield from annotate_rows(batch)
                batch = []
        yield from annotate_rows(batch)

    return gen()


WORKLIST_BATCH = 500

RESOURCES: dict[str, Resource] = {
    "operators": Resource(
        "operators",
        export_columns.operator_columns,
        _filtered_rows(OperatorFilterSet, operator_list_for_user),
    ),
    "miniprograms": Resource(
        "miniprograms",
        export_columns.miniprogram_columns,
        _filtered_rows(MiniProgramComplianceFilterSet, miniprogram_list_for_user),
    ),
    "domains": Resource(
        "domains",
        export_columns.domain_columns,
        _filtered_rows(DomainComplianceFilterSet, domain_list_for_user),
    ),
    "filings": Resource(
        "filings",
        export_columns.filing_columns,
        _filtered_rows(FilingFilterSet, filing_list_for_user),
    ),
    "persons": Resource(
        "persons",
        export_columns.person_columns,
        _filtered_rows(PersonFilterSet, person_list_for_user),
    ),
    "compliance": Resource("compliance", _compliance_columns, _compliance_rows),
    "worklist": Resource("worklist", _worklist_columns, _worklist_rows),
}


def _clean_params(params: QueryDict) -> QueryDict:
    cleaned = params.copy()
    for key in ("format", "page", "page_size", "limit", "offset"):
        cleaned.pop(key, None)
    return cleaned


@dataclass
class Export:
    """Header labels (translated when the export starts) and an iterator of row values."""

    headers: list[str]
    rows: Iterator[list]


def _export_organization(user: User, params: QueryDict) -> Organization | None:
    """The organization an export is narrowed to (None: the user's only one, or several)."""
    raw = str(params.get("organization") or "")
    if not re.fullmatch(r"[0-9]{1,18}", raw):
        return None
    return organization_list_for_user(user=user).filter(pk=int(raw)).first()


def audit_filters(params: QueryDict) -> dict[str, str]:
    """The export's filters for its audit entry, with any ID number in them masked."""
    return {k: pii.mask_text(str(v))[:200] for k, v in params.items() if v}


def export_rows(*, user: User, resource: str, params: QueryDict) -> Export:
    """The header and neutralised row values. Raises KeyError for an unknown resource,
    ExportError for bad filters. Table rows are read as plain values in chunks (a server-side
    cursor on PostgreSQL), so memory stays flat however many rows there are."""
    res = RESOURCES[resource]
    reveal = resource == "persons" and can_reveal_pii(user)
    columns = res.columns(reveal)
    objects = res.rows(user=user, params=_clean_params(params))  # bad filters: nothing recorded
    record_event(
        AccessAction.EXPORTED,
        actor=user,
        organization=_export_organization(user, params),
        detail={"resource": resource, "unmasked": reveal, "filters": audit_filters(params)},
    )
    headers = [neutralise(str(c.label)) for c in columns]
    if isinstance(objects, QuerySet):
        return Export(headers, _table_rows(objects, columns))

    def gen() -> Iterator[list]:
        for obj in objects:
            yield [neutralise(col.get(obj)) for col in columns]

    return Export(headers, gen())


def _table_rows(qs: QuerySet, columns: list[Field]) -> Iterator[list]:
    paths: list[str] = []
    plan = []  # (first index in the row, number of values, converter or None) per column
    for col in columns:
        plan.append((len(paths), len(col.paths), col.converter(qs.model)))
        paths.extend(col.paths)
    # The converters (and their translated labels) exist before the first row is read, while
    # the request's language is active.
    values = qs.select_related(None).prefetch_related(None).values_list(*paths)

    getters = [_getter(i, n, convert) for i, n, convert in plan]
    prefixes = FORMULA_PREFIXES

    def gen() -> Iterator[list]:
        # Runs for every cell of every row: neutralise() is inlined.
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            cells: list[Any] = [get(row) for get in getters]
            for k, value in enumerate(cells):
                if value.__class__ is str and value.startswith(prefixes):
                    cells[k] = "'" + value
            yield cells

    return gen()


def _getter(i: int, n: int, convert: Callable | None) -> Callable[[tuple], object]:
    """The cell of one column from a row of values (`n` values from index `i`)."""
    if convert is None:
        return itemgetter(i)
    if n == 1:
        return lambda row: convert(row[i])
    return lambda row: convert(*row[i : i + n])


def _text(value) -> str:
    if value.__class__ is str:  # most cells: checked first
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None and not value.microsecond and value.year >= 1000:
            return value.isoformat(" ")  # the same text as strftime, several times faster
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_stream(export: Export) -> Iterator[str]:
    """CSV text in chunks of about 64 KB; starts with a BOM so that Excel reads the UTF-8
    Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(export.headers)
    text = _text
    for row in export.rows:
        writer.writerow([v if v.__class__ is str else text(v) for v in row])
        if buffer.tell() >= STREAM_CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(export: Export, *, title: str) -> IO[bytes]:
    """The workbook in a temporary file (rewound), written row by row: the caller streams
    it and closing it deletes it."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(export.headers)
    for row in export.rows:
        ws.append([_xlsx_cell(v) for v in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response that streams it
    try:
        wb.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _xlsx_cell(value):
    if isinstance(value, str):
        # Drop control characters the format cannot hold, then neutralise again: a value
        # like "\x01=cmd" would otherwise start with "=" once cleaned.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def export_filename(resource: str, fmt: str) -> str:
    return f"{resource}-{timezone.localdate().isoformat()}.{fmt}"
