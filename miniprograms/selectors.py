"""Reads of the register, always scoped to the requesting user."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access import operator_scope_q
from accounts.types import User

from .models import Domain, IcpLicence, MiniProgram, Operator, PreApproval, ResponsiblePerson


def operator_list_for_user(*, user: User) -> QuerySet[Operator]:
    """Operators the user may see."""
    return Operator.objects.filter(operator_scope_q(user=user)).select_related(
        "province", "organization"
    )


def operator_get_for_user(*, user: User, operator_id: int) -> Operator:
    """Raises Operator.DoesNotExist for missing and not-yours alike."""
    return operator_list_for_user(user=user).get(pk=operator_id)


def person_list_for_user(*, user: User) -> QuerySet[ResponsiblePerson]:
    """Responsible persons of the operators the user may see."""
    return ResponsiblePerson.objects.filter(
        operator_scope_q(user=user, prefix="operator__")
    ).select_related("operator", "miniprogram", "domain")


def miniprogram_list_for_user(*, user: User) -> QuerySet[MiniProgram]:
    """Mini-programs and apps of the operators the user may see."""
    return MiniProgram.objects.filter(
        operator_scope_q(user=user, prefix="operator__")
    ).select_related("operator", "operator__province", "organization")


def domain_list_for_user(*, user: User) -> QuerySet[Domain]:
    """Domains of the operators the user may see."""
    return Domain.objects.filter(operator_scope_q(user=user, prefix="operator__")).select_related(
        "operator", "operator__province", "tld", "organization"
    )


def preapproval_list_for_user(*, user: User) -> QuerySet[PreApproval]:
    """Pre-approvals of the operators the user may see."""
    return PreApproval.objects.filter(
        operator_scope_q(user=user, prefix="operator__")
    ).select_related("operator", "miniprogram", "domain")


def licence_list_for_user(*, user: User) -> QuerySet[IcpLicence]:
    """ICP licences of the operators the user may see."""
    return IcpLicence.objects.filter(
        operator_scope_q(user=user, prefix="operator__")
    ).select_related("operator")
