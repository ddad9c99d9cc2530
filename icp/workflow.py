"""The filing workflow as data: states, kinds, the transition table and `allowed_targets`.

Pure: no Django, no database. `filings.services.filing_transition` is the only code that applies
a transition; web, API, admin and tasks all go through it. The Django choices with their labels
are `filings.models.FilingStatus` and `filings.models.FilingKind`; the values live here.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from .channels import ChannelFamily, channel_family

__all__ = [
    "CANCEL_KINDS",
    "IN_FLIGHT",
    "REJECTED",
    "TRANSITIONS",
    "WITHDRAWABLE_FROM",
    "FilingKind",
    "FilingStatus",
    "allowed_targets",
]


class FilingStatus(StrEnum):
    DRAFT = "draft"  # form filled, nothing submitted
    PROVIDER_REVIEW = "provider_review"  # 初审, by the provider or platform
    PROVIDER_REJECTED = "provider_rejected"  # 初审驳回
    SMS_VERIFICATION = "sms_verification"  # 工信部短信核验
    AUTHORITY_REVIEW = "authority_review"  # 管局审核
    AUTHORITY_REJECTED = "authority_rejected"  # 管局驳回
    APPROVED = "approved"  # number issued (已备案)
    WITHDRAWN = "withdrawn"  # 撤回 / 放弃备案


class FilingKind(StrEnum):
    NEW_FILING = "new_filing"  # 首次备案
    ADD_SERVICE = "add_service"  # 新增网站/App
    NEW_ACCESS = "new_access"  # 新增接入
    CHANGE = "change"  # 变更备案
    CANCEL_SERVICE = "cancel_service"  # 注销网站/App
    CANCEL_ENTITY = "cancel_entity"  # 注销主体
    CANCEL_ACCESS = "cancel_access"  # 取消接入


S = FilingStatus

# No channel lets an order be withdrawn at the authority, so AUTHORITY_REVIEW has no WITHDRAWN
# edge (domain.md §3.2); withdrawal elsewhere is further narrowed by WITHDRAWABLE_FROM.
TRANSITIONS: Mapping[FilingStatus, frozenset[FilingStatus]] = MappingProxyType(
    {
        S.DRAFT: frozenset({S.PROVIDER_REVIEW, S.WITHDRAWN}),
        # Cancel-access orders skip SMS verification (domain.md §3.2), hence AUTHORITY_REVIEW.
        S.PROVIDER_REVIEW: frozenset(
            {S.SMS_VERIFICATION, S.AUTHORITY_REVIEW, S.PROVIDER_REJECTED, S.WITHDRAWN}
        ),
        S.PROVIDER_REJECTED: frozenset({S.DRAFT, S.PROVIDER_REVIEW, S.WITHDRAWN}),
        # A timed-out or failed SMS check returns the order to the provider (PROVIDER_REJECTED).
        S.SMS_VERIFICATION: frozenset({S.AUTHORITY_REVIEW, S.PROVIDER_REJECTED, S.WITHDRAWN}),
        S.AUTHORITY_REVIEW: frozenset({S.APPROVED, S.AUTHORITY_REJECTED}),
        S.AUTHORITY_REJECTED: frozenset({S.DRAFT, S.PROVIDER_REVIEW, S.WITHDRAWN}),
        S.APPROVED: frozenset(),
        S.WITHDRAWN: frozenset(),
    }
)

# Statuses that hold the operator's single slot at the authority ("主办者冲突").
IN_FLIGHT: frozenset[FilingStatus] = frozenset(
    {
        S.PROVIDER_REVIEW,
        S.PROVIDER_REJECTED,
        S.SMS_VERIFICATION,
        S.AUTHORITY_REVIEW,
        S.AUTHORITY_REJECTED,
    }
)
REJECTED: frozenset[FilingStatus] = frozenset({S.PROVIDER_REJECTED, S.AUTHORITY_REJECTED})

# Where each channel family still lets the operator withdraw. WeChat: impossible once platform
# review is done or at the authority (domain.md §3.2); cloud providers allow it until the
# authority.
WITHDRAWABLE_FROM: Mapping[ChannelFamily, frozenset[FilingStatus]] = MappingProxyType(
    {
        ChannelFamily.PLATFORM: frozenset(
            {S.DRAFT, S.PROVIDER_REVIEW, S.PROVIDER_REJECTED, S.AUTHORITY_REJECTED}
        ),
        ChannelFamily.CLOUD: frozenset(
            {
                S.DRAFT,
                S.PROVIDER_REVIEW,
                S.PROVIDER_REJECTED,
                S.SMS_VERIFICATION,
                S.AUTHORITY_REJECTED,
            }
        ),
    }
)
CANCEL_KINDS: frozenset[FilingKind] = frozenset(
    {FilingKind.CANCEL_SERVICE, FilingKind.CANCEL_ENTITY}
)


def allowed_targets(status: str, *, kind: str, channel: str) -> frozenset[FilingStatus]:
    """The statuses an application of this kind and channel may move to from `status`."""
    targets = set(TRANSITIONS[FilingStatus(status)])
    if kind == FilingKind.CANCEL_ACCESS:
        targets.discard(S.SMS_VERIFICATION)
    elif status == S.PROVIDER_REVIEW:
        targets.discard(S.AUTHORITY_REVIEW)
    withdrawable = WITHDRAWABLE_FROM[channel_family(channel)]
    if status not in withdrawable or (kind in CANCEL_KINDS and status != S.DRAFT):
        # A cancellation cannot be withdrawn once submitted (WeChat rule, applied to all).
        targets.discard(S.WITHDRAWN)
    return frozenset(targets)
