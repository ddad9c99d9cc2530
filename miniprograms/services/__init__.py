"""Writes to the register. Each service validates, checks the role, and saves atomically.

The `*_build` / `*_apply` functions are the services' checks without a query, save or role
check: the bulk importer runs the same rules on every row and writes them in bulk.

`register` holds operators, mini-programs/apps and domains;
`licences` pre-approvals and ICP licences; `persons` the responsible persons.
"""

from .licences import (
    LICENCE_FIELDS,
    PREAPPROVAL_FIELDS,
    check_report_year,
    licence_annual_report_filed,
    licence_create,
    licence_update,
    preapproval_create,
    preapproval_update,
)
from .persons import PERSON_FIELDS, person_build, person_create, person_update
from .register import (
    DOMAIN_CLEAN_EXCLUDE,
    DOMAIN_FIELDS,
    MINIPROGRAM_FIELDS,
    OPERATOR_FIELDS,
    clean_without_queries,
    domain_apply,
    domain_build,
    domain_create,
    domain_update,
    miniprogram_apply,
    miniprogram_build,
    miniprogram_create,
    miniprogram_update,
    operator_apply,
    operator_build,
    operator_create,
    operator_update,
)

__all__ = [
    "DOMAIN_CLEAN_EXCLUDE",
    "DOMAIN_FIELDS",
    "LICENCE_FIELDS",
    "MINIPROGRAM_FIELDS",
    "OPERATOR_FIELDS",
    "PERSON_FIELDS",
    "PREAPPROVAL_FIELDS",
    "check_report_year",
    "clean_without_queries",
    "domain_apply",
    "domain_build",
    "domain_create",
    "domain_update",
    "licence_annual_report_filed",
    "licence_create",
    "licence_update",
    "miniprogram_apply",
    "miniprogram_build",
    "miniprogram_create",
    "miniprogram_update",
    "operator_apply",
    "operator_build",
    "operator_create",
    "operator_update",
    "person_build",
    "person_create",
    "person_update",
    "preapproval_create",
    "preapproval_update",
]
