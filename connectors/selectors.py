"""Scoped reads of connector accounts and what they found.

Scope comes from accounts.access: an unrestricted member sees the organization's accounts; a
member limited to assigned operators sees only the accounts of those operators (a filing
entity's own cloud account), never a platform account that spans every client. Another
organization's account, run, link or finding is answered like a missing one.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from accounts.access import operator_scope_q
from accounts.types import User

from .models import (
    CertificationReview,
    ConnectorAccount,
    ConnectorFinding,
    ConnectorLink,
    FaceVerifyTask,
    PushEvent,
    SyncRun,
)

RECENT_RUNS = 20


def _account_q(user: User, prefix: str = "") -> Q:
    return operator_scope_q(
        user=user, prefix=f"{prefix}operator__", organization_path=f"{prefix}organization_id"
    )


def account_list_for_user(*, user: User) -> QuerySet[ConnectorAccount]:
    """Accounts the user may see, with their open findings counted."""
    return (
        ConnectorAccount.objects.filter(_account_q(user))
        .select_related("organization", "operator")
        .annotate(open_findings=Count("findings", filter=Q(findings__resolved_at__isnull=True)))
        .order_by("organization__name", "name", "pk")
    )


def account_get_for_user(*, user: User, account_id: int) -> ConnectorAccount:
    """Raises ConnectorAccount.DoesNotExist for missing and not-yours alike."""
    return account_list_for_user(user=user).get(pk=account_id)


def run_list_for_user(*, user: User) -> QuerySet[SyncRun]:
    """Runs of the accounts the user sees."""
    return SyncRun.objects.filter(_account_q(user, "account__")).select_related("account")


def run_get_for_user(*, user: User, run_id: int) -> SyncRun:
    """Raises SyncRun.DoesNotExist for missing and not-yours alike."""
    return run_list_for_user(user=user).get(pk=run_id)


def account_runs(account: ConnectorAccount) -> QuerySet[SyncRun]:
    """An account's runs, newest first (the caller has scoped the account)."""
    return SyncRun.objects.filter(account=account).order_by("-started_at", "-id")


def link_list_for_user(
    *, user: User, unlinked: bool = False, with_findings: bool = False
) -> QuerySet[ConnectorLink]:
    """Vendor objects of the accounts the user sees; filters: not in the register, with
    open findings.
    """
    qs = (
        ConnectorLink.objects.filter(_account_q(user, "account__"))
        .select_related("account", "miniprogram", "domain", "filing")
        .annotate(open_findings=Count("findings", filter=Q(findings__resolved_at__isnull=True)))
    )
    if unlinked:
        qs = qs.filter(miniprogram__isnull=True, domain__isnull=True)
    if with_findings:
        qs = qs.filter(open_findings__gt=0)
    return qs.order_by("account", "external_id")


def link_get_for_user(*, user: User, link_id: int) -> ConnectorLink:
    """Raises ConnectorLink.DoesNotExist for missing and not-yours alike."""
    return link_list_for_user(user=user).get(pk=link_id)


def finding_list_for_user(*, user: User, open_only: bool = False) -> QuerySet[ConnectorFinding]:
    """Findings of the accounts the user sees: open ones first, newest first."""
    qs = ConnectorFinding.objects.filter(_account_q(user, "account__")).select_related(
        "account", "link"
    )
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return qs.order_by(F("resolved_at").desc(nulls_first=True), "-created_at", "-id")


def finding_get_for_user(*, user: User, finding_id: int) -> ConnectorFinding:
    """Raises ConnectorFinding.DoesNotExist for missing and not-yours alike."""
    return finding_list_for_user(user=user).get(pk=finding_id)


def push_list_for_user(*, user: User) -> QuerySet[PushEvent]:
    """Pushes received for the accounts the user sees (the admin's record)."""
    return PushEvent.objects.filter(_account_q(user, "account__")).select_related("account")


def face_task_list_for_user(*, user: User) -> QuerySet[FaceVerifyTask]:
    """Face-verification tasks of the accounts the user sees."""
    return FaceVerifyTask.objects.filter(_account_q(user, "account__")).select_related(
        "account", "miniprogram"
    )


def certification_review_list_for_user(*, user: User) -> QuerySet[CertificationReview]:
    """Certification annual reviews of the accounts the user sees."""
    return CertificationReview.objects.filter(_account_q(user, "account__")).select_related(
        "account", "miniprogram"
    )


def certification_review_get_for_user(*, user: User, review_id: int) -> CertificationReview:
    """Raises CertificationReview.DoesNotExist for missing and not-yours alike."""
    return certification_review_list_for_user(user=user).get(pk=review_id)


def miniprogram_connector_state(*, user: User, miniprogram_id: int) -> dict:
    """What the connectors know about one mini-program the caller has scoped: its links (with
    the latest vendor state), open findings, face-verification tasks, certification review.
    """
    links = list(
        link_list_for_user(user=user)
        .filter(miniprogram_id=miniprogram_id)
        .order_by("-seen_at", "-pk")
    )
    findings = list(
        finding_list_for_user(user=user, open_only=True).filter(link__miniprogram_id=miniprogram_id)
    )
    tasks = list(
        face_task_list_for_user(user=user)
        .filter(miniprogram_id=miniprogram_id)
        .order_by("-created_at", "-id")[:5]
    )
    reviews = list(
        certification_review_list_for_user(user=user)
        .filter(miniprogram_id=miniprogram_id)
        .order_by("expires_at")
    )
    return {"links": links, "findings": findings, "face_tasks": tasks, "reviews": reviews}
