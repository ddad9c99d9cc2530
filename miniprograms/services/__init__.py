"""Writes to the register. Each service validates, checks the role, and saves atomically.

`register` holds operators, mini-programs/apps, domains, pre-approvals and licences;
`persons` the responsible persons.
"""

from .persons import PERSON_FIELDS, person_create, person_update
from .register import (
    DOMAIN_FIELDS,
    MINIPROGRAM_FIELDS,
    OPERATOR_FIELDS,
    domain_create,
    domain_update,
    licence_create,
    miniprogram_create,
    miniprogram_update,
    operator_create,
    operator_update,
    preapproval_create,
)

__all__ = [
    "DOMAIN_FIELDS",
    "MINIPROGRAM_FIELDS",
    "OPERATOR_FIELDS",
    "PERSON_FIELDS",
    "domain_create",
    "domain_update",
    "licence_create",
    "miniprogram_create",
    "miniprogram_update",
    "operator_create",
    "operator_update",
    "person_create",
    "person_update",
    "preapproval_create",
]
