"""The portfolio page as a CSV/XLSX file: the same filters, search and order, every row
(not one page), streamed by the export machinery of reports/exports.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from compliance.types import ComplianceStatus
from reports import exports
from reports.api import XLSX_MIME

from .portfolio import PortfolioSummary, portfolio_row

CHUNK_SIZE = 2000
Getter = Callable[[dict[str, Any]], Any]


def _columns(status_labels: dict[str, str]) -> list[tuple[str, Getter]]:
    """(translated label, cell of a row) per column; labels are read while the request's
    language is active."""
    return [
        (_("Client"), lambda r: r["operator"].name_zh),
        (_("English name"), lambda r: r["operator"].name_en),
        (_("Unified Social Credit Code"), lambda r: r["operator"].uscc),
        (_("Province"), lambda r: r["operator"].province_id),
        (_("Worst status"), lambda r: status_labels.get(r["summary"].worst, r["summary"].worst)),
        (_("Takedown risks"), lambda r: r["summary"].takedown_risk),
        (_("Overdue"), lambda r: r["summary"].overdue),
        (_("Due soon"), lambda r: r["summary"].due_soon),
        (_("Compliant"), lambda r: r["summary"].compliant),
        (_("Overdue since"), lambda r: r["overdue_since"]),
        (_("Days overdue"), lambda r: r["overdue_days"]),
        (_("Next deadline"), lambda r: r["summary"].next_deadline),
        (_("Assigned staff"), lambda r: ", ".join(r["staff"])),
        (_("Mini-programs/apps"), lambda r: r["miniprograms"]),
        (_("Domains"), lambda r: r["domains"]),
    ]


def portfolio_export(rows: Iterable[dict[str, Any]]) -> exports.Export:
    """Header and neutralised cells of page rows (portfolio_row dicts)."""
    columns = _columns({value: str(label) for value, label in ComplianceStatus.choices})
    headers = [exports.neutralise(label) for label, _get in columns]
    getters = [get for _label, get in columns]

    def gen() -> Iterator[list]:
        for row in rows:
            yield [exports.neutralise(get(row)) for get in getters]

    return exports.Export(headers, gen())


def rows_of(operators: Any, *, as_of: datetime.date) -> Iterator[dict[str, Any]]:
    """Page rows of every operator of portfolio_today(), read in chunks."""
    for op in operators.iterator(chunk_size=CHUNK_SIZE):
        summary = PortfolioSummary.from_compliance(getattr(op, "compliance", None))
        yield portfolio_row(op, summary, as_of=as_of, links=False)


def export_response(export: exports.Export, fmt: str) -> HttpResponseBase:
    """The file, streamed: CSV piece by piece, XLSX from a temporary file."""
    filename = exports.export_filename("portfolio", fmt)
    if fmt == "xlsx":
        return FileResponse(
            exports.xlsx_file(export, title="portfolio"),
            as_attachment=True,
            filename=filename,
            content_type=XLSX_MIME,
        )
    response = StreamingHttpResponse(
        exports.csv_stream(export), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
