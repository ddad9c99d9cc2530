"""The report kinds: what builds each one's context, which template renders it, its title.

A new report is one entry below, its context builder in reports/data/ and its template in
templates/pdf/: three files. `ReportRun.kind` reads its choices from here
(`report_kind_choices`), so no migration is needed. A kind without an entry fails loudly
(`UnknownReportKindError`), never as another report.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.types import User
from core.exceptions import ApplicationError
from miniprograms.models import Operator

from . import data

ContextBuilder = Callable[..., dict[str, Any]]


class UnknownReportKindError(ApplicationError):
    """No report of this kind exists (400 from the API and the pages)."""


@dataclass(frozen=True)
class ReportKindSpec:
    kind: str
    label: str | Promise  # the kind's name (lazy: shown in the active language)
    template: str  # under templates/
    needs_operator: bool  # a report about one operator: operator_id is required
    build: ContextBuilder  # (user, as_of, operator_id, progress) -> template context
    title: Callable[[dict[str, Any]], str]  # the PDF's title, from its context


def _dossier(*, user: User, as_of: datetime.date, operator_id: int | None, progress=None) -> dict:
    if operator_id is None:  # needs_operator: cleaned parameters always carry one
        raise Operator.DoesNotExist("A dossier is about one operator.")
    return data.dossier_context(user=user, operator_id=operator_id, as_of=as_of)


def _portfolio(*, user: User, as_of: datetime.date, operator_id: int | None, progress=None) -> dict:
    return data.portfolio_context(user=user, as_of=as_of, progress=progress)


def _inspection(
    *, user: User, as_of: datetime.date, operator_id: int | None, progress=None
) -> dict:
    return data.inspection_context(user=user, as_of=as_of, operator_id=operator_id)


KINDS: dict[str, ReportKindSpec] = {
    spec.kind: spec
    for spec in (
        ReportKindSpec(
            kind="dossier",
            label=gettext_lazy("Operator compliance dossier"),
            template="pdf/dossier.html",
            needs_operator=True,
            build=_dossier,
            title=lambda ctx: _("Compliance dossier: %(name)s") % {"name": ctx["operator"].name_zh},
        ),
        ReportKindSpec(
            kind="portfolio",
            label=gettext_lazy("Portfolio report"),
            template="pdf/portfolio.html",
            needs_operator=False,
            build=_portfolio,
            title=lambda ctx: _("Portfolio report"),
        ),
        ReportKindSpec(
            kind="inspection",
            label=gettext_lazy("Inspection readiness report"),
            template="pdf/inspection.html",
            needs_operator=False,
            build=_inspection,
            title=lambda ctx: _("Inspection readiness report"),
        ),
    )
}


def report_kind_choices() -> list[tuple[str, str | Promise]]:
    """(value, label) of every report kind, for the model and form fields."""
    return [(kind, spec.label) for kind, spec in KINDS.items()]


def kind_spec(kind: str) -> ReportKindSpec:
    """The registered kind; raises UnknownReportKindError for any other value."""
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownReportKindError(
            _("Unknown report kind “%(kind)s”.") % {"kind": kind}, extra={"kind": kind}
        ) from None
