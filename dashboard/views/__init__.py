"""Dashboard views, one module per area (house style: modules under ~400 lines)."""

from .audit import audit_log, audit_log_export
from .filings import (
    filing_bulk,
    filing_comment,
    filing_create,
    filing_detail,
    filing_edit,
    filing_list,
    filing_transition,
)
from .licences import (
    licence_annual_report,
    licence_create,
    licence_detail,
    licence_edit,
    licence_list,
)
from .operators import (
    operator_create,
    operator_detail,
    operator_edit,
    operator_list,
    person_create,
    person_edit,
    preapproval_create,
    preapproval_edit,
)
from .overview import overview, switch_organization
from .portfolio import portfolio, portfolio_export_view
from .services import (
    domain_create,
    domain_detail,
    domain_edit,
    domain_list,
    miniprogram_create,
    miniprogram_detail,
    miniprogram_edit,
    miniprogram_list,
)
from .tools import number_checker
from .worklist import worklist, worklist_action, worklist_item

__all__ = [
    "audit_log",
    "audit_log_export",
    "domain_create",
    "domain_detail",
    "domain_edit",
    "domain_list",
    "filing_bulk",
    "filing_comment",
    "filing_create",
    "filing_detail",
    "filing_edit",
    "filing_list",
    "filing_transition",
    "licence_annual_report",
    "licence_create",
    "licence_detail",
    "licence_edit",
    "licence_list",
    "miniprogram_create",
    "miniprogram_detail",
    "miniprogram_edit",
    "miniprogram_list",
    "number_checker",
    "operator_create",
    "operator_detail",
    "operator_edit",
    "operator_list",
    "overview",
    "person_create",
    "person_edit",
    "portfolio",
    "portfolio_export_view",
    "preapproval_create",
    "preapproval_edit",
    "switch_organization",
    "worklist",
    "worklist_action",
    "worklist_item",
]
