"""Reads of provider notices and record changes, scoped to the user (accounts.access).

Another organization's notice is not found, exactly like a missing one (404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access import operator_scope_q
from accounts.types import User
from miniprograms.models import Domain, MiniProgram, RecordStateChange

from ..models import UNRESOLVED_STATES, ProviderNotice

Service = Domain | MiniProgram


def notice_list_for_user(*, user: User) -> QuerySet[ProviderNotice]:
    """Notices about the services of the operators the user may see, soonest deadline first."""
    return (
        ProviderNotice.objects.filter(operator_scope_q(user=user, prefix="operator__"))
        .select_related("operator", "domain", "miniprogram", "fix_filing")
        .order_by("deadline_at", "pk")
    )


def notice_get_for_user(*, user: User, notice_id: int) -> ProviderNotice:
    """One notice the user may see; ProviderNotice.DoesNotExist otherwise (missing or not
    theirs alike).
    """
    return notice_list_for_user(user=user).get(pk=notice_id)


def notices_for_service(*, user: User, service: Service) -> QuerySet[ProviderNotice]:
    """The notices about one service (already read through the user's scope)."""
    field = "domain" if isinstance(service, Domain) else "miniprogram"
    return notice_list_for_user(user=user).filter(**{field: service}).order_by("-received_at")


def unresolved_notices(qs: QuerySet[ProviderNotice]) -> QuerySet[ProviderNotice]:
    """The notices of `qs` still owed a fix (open, or missed and access cancelled)."""
    return qs.filter(state__in=UNRESOLVED_STATES)


def record_change_list_for_user(*, user: User) -> QuerySet[RecordStateChange]:
    """Record-state changes of the services the user may see, newest first."""
    return (
        RecordStateChange.objects.filter(operator_scope_q(user=user, prefix="operator__"))
        .select_related("operator", "domain", "miniprogram", "actor")
        .order_by("-created_at", "-pk")
    )


def record_changes_for_service(*, user: User, service: Service) -> QuerySet[RecordStateChange]:
    """The record history of one service, newest first."""
    field = "domain" if isinstance(service, Domain) else "miniprogram"
    return record_change_list_for_user(user=user).filter(**{field: service})


def record_change_get_for_user(*, user: User, change_id: int) -> RecordStateChange:
    """One record change the user may see; DoesNotExist otherwise (missing or not theirs)."""
    return record_change_list_for_user(user=user).get(pk=change_id)


def service_get_for_user(*, user: User, kind: str, service_id: int) -> Service:
    """A domain or mini-program/app the user may see (`kind`: "domain" or "miniprogram");
    DoesNotExist for an unknown kind, a missing one or another organization's.
    """
    model: type[Domain] | type[MiniProgram]
    if kind == "domain":
        model = Domain
    elif kind == "miniprogram":
        model = MiniProgram
    else:
        raise Domain.DoesNotExist(kind)
    return (
        model.objects.filter(operator_scope_q(user=user, prefix="operator__"))
        .select_related("operator")
        .get(pk=service_id)
    )
