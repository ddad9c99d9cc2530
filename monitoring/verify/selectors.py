"""Scoped reads of verifications and lookups (accounts.access through the register's
selectors): another organization's service, verification or lookup is missing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.access import operator_scope_q
from accounts.types import User
from miniprograms.models import Domain, MiniProgram
from miniprograms.selectors import domain_list_for_user, miniprogram_list_for_user
from monitoring.models.verify import MiitLookup, ServiceVerification


class ServiceNotFoundError(LookupError):
    """No such service for this user (missing and not-yours alike)."""


def service_get_for_user(*, user: User, service_type: str, service_id: int) -> MiniProgram | Domain:
    """A mini-program/app or a domain the user may see; raises ServiceNotFoundError otherwise."""
    qs: QuerySet[MiniProgram] | QuerySet[Domain]
    if service_type == "miniprogram":
        qs = miniprogram_list_for_user(user=user)
    elif service_type == "domain":
        qs = domain_list_for_user(user=user)
    else:
        raise ServiceNotFoundError(service_type)
    service = qs.filter(pk=service_id).first()
    if service is None:
        raise ServiceNotFoundError(f"{service_type}:{service_id}")
    return service


def _service_q(service: MiniProgram | Domain) -> Q:
    if isinstance(service, MiniProgram):
        return Q(miniprogram=service)
    return Q(domain=service)


def verification_list_for_user(*, user: User) -> QuerySet[ServiceVerification]:
    """Verifications of the operators the user may see, newest first."""
    return ServiceVerification.objects.filter(
        operator_scope_q(user=user, prefix="operator__")
    ).select_related("operator", "miniprogram", "domain", "created_by")


def verification_get_for_user(*, user: User, verification_id: int) -> ServiceVerification:
    """Raises ServiceVerification.DoesNotExist for missing and not-yours alike."""
    return verification_list_for_user(user=user).get(pk=verification_id)


def lookup_list_for_user(*, user: User) -> QuerySet[MiitLookup]:
    """Lookups of the operators the user may see, newest first."""
    return MiitLookup.objects.filter(
        operator_scope_q(user=user, prefix="operator__")
    ).select_related("operator", "miniprogram", "domain")


def service_verifications(service: MiniProgram | Domain) -> QuerySet[ServiceVerification]:
    """A service's verifications (the caller has already scoped the service)."""
    return ServiceVerification.objects.filter(_service_q(service)).select_related("created_by")


def service_lookups(service: MiniProgram | Domain) -> QuerySet[MiitLookup]:
    """A service's lookups (the caller has already scoped the service)."""
    return MiitLookup.objects.filter(_service_q(service))
