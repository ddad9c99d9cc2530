"""Writes to the register's responsible persons: ID numbers are encrypted and checked."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import ensure_can_edit_operator
from accounts.types import User
from core import pii

from ..models import Domain, IdType, MiniProgram, Operator, PersonRole, ResponsiblePerson
from ..validators import validate_mobile, validate_resident_id
from .register import clean_and_save

PERSON_UNIQUE_MESSAGE = gettext_lazy("This person is already recorded.")


def person_build(
    *,
    operator: Operator,
    role: str,
    name: str,
    id_number: str,
    mobile: str,
    id_type: str = IdType.RESIDENT_ID,
    id_expires_on: datetime.date | None = None,
    email: str = "",
    emergency_contact: str = "",
    miniprogram: MiniProgram | None = None,
    domain: Domain | None = None,
) -> ResponsiblePerson:
    """A new responsible person, checked without a query and the ID number encrypted (no save,
    no role check).
    """
    number, mobile = _clean_person(
        operator=operator,
        role=role,
        id_type=id_type,
        id_number=id_number,
        mobile=mobile,
        miniprogram=miniprogram,
        domain=domain,
    )
    # The same phone for two different people is a common rejection reason (domain.md §5.4).
    return ResponsiblePerson(
        organization_id=operator.organization_id,
        operator=operator,
        role=role,
        name=name,
        id_type=id_type,
        id_number_encrypted=pii.encrypt(number),
        id_number_hash=pii.blind_index(number),
        id_expires_on=id_expires_on,
        mobile=mobile,
        email=email,
        emergency_contact=emergency_contact,
        miniprogram=miniprogram,
        domain=domain,
    )


@transaction.atomic
def person_create(
    *,
    user: User,
    operator: Operator,
    role: str,
    name: str,
    id_number: str,
    mobile: str,
    id_type: str = IdType.RESIDENT_ID,
    id_expires_on: datetime.date | None = None,
    email: str = "",
    emergency_contact: str = "",
    miniprogram: MiniProgram | None = None,
    domain: Domain | None = None,
) -> ResponsiblePerson:
    """Add a responsible person (ID number encrypted) to an operator."""
    ensure_can_edit_operator(user, operator)
    person = person_build(
        operator=operator,
        role=role,
        name=name,
        id_number=id_number,
        mobile=mobile,
        id_type=id_type,
        id_expires_on=id_expires_on,
        email=email,
        emergency_contact=emergency_contact,
        miniprogram=miniprogram,
        domain=domain,
    )
    clean_and_save(person, unique_message=str(PERSON_UNIQUE_MESSAGE))
    return person


def _clean_person(
    *,
    operator: Operator,
    role: str,
    id_type: str,
    id_number: str | None,
    mobile: str,
    miniprogram: MiniProgram | None,
    domain: Domain | None,
    keep_number: bool = False,
) -> tuple[str, str]:
    """The normalized ID number and mobile, or a ValidationError listing every problem.

    `keep_number`: an empty number means "keep the stored one" (updates).
    """
    errors: dict[str, list[str]] = {}
    number = (id_number or "").strip().upper()
    if keep_number and not number:
        pass
    elif id_type == IdType.RESIDENT_ID:
        try:
            number = validate_resident_id(number)
        except ValidationError as e:
            errors["id_number"] = e.messages
    elif len(number) < 5:
        errors["id_number"] = [_("Enter the document number as printed on the document.")]
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as e:
        errors["mobile"] = e.messages
    for subject in (miniprogram, domain):
        if subject is not None and subject.operator_id != operator.pk:
            errors["__all__"] = [_("The service belongs to another operator.")]
    if role == PersonRole.SERVICE and miniprogram is None and domain is None:
        errors["role"] = [_("A service responsible person needs the mini-program or domain.")]
    if errors:
        raise ValidationError(errors)
    return number, mobile


PERSON_FIELDS = (
    "role",
    "name",
    "id_type",
    "id_expires_on",
    "mobile",
    "email",
    "emergency_contact",
    "miniprogram",
    "domain",
)


@transaction.atomic
def person_update(
    *, user: User, person: ResponsiblePerson, id_number: str = "", **fields: Any
) -> ResponsiblePerson:
    """Edit a responsible person. The ID number is write-only: an empty one keeps the stored
    (encrypted) number; a new one is validated, encrypted and re-indexed.
    """
    ensure_can_edit_operator(user, person.operator)
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    number, person.mobile = _clean_person(
        operator=person.operator,
        role=person.role,
        id_type=person.id_type,
        id_number=id_number,
        mobile=person.mobile,
        miniprogram=person.miniprogram,
        domain=person.domain,
        keep_number=True,
    )
    if number:
        person.id_number_encrypted = pii.encrypt(number)
        person.id_number_hash = pii.blind_index(number)
    clean_and_save(person, unique_message=str(PERSON_UNIQUE_MESSAGE))
    # Who replaced an ID number (never the number itself) is in the audit log: the update
    # of the person, with the ID fields masked (audit.tracked).
    return person
