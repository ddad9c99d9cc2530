"""The filing workflow as data: states, the transition table, and who may take each step.

Pure: no database access. `filings.services.filing_transition` is the only code that applies
a transition; web, API, admin and tasks all go through it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # form filled, nothing submitted
    PROVIDER_REVIEW = "provider_review", _("Provider / platform review")  # 初审
    PROVIDER_REJECTED = "provider_rejected", _("Rejected by provider")  # 初审驳回
    SMS_VERIFICATION = "sms_verification", _("MIIT SMS verification")  # 工信部短信核验
    AUTHORITY_REVIEW = "authority_review", _("Provincial authority review")  # 管局审核
    AUTHORITY_REJECTED = "authority_rejected", _("Rejected by authority")  # 管局驳回
    APPROVED = "approved", _("Approved")  # number issued (已备案)
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 撤回 / 放弃备案


class FilingKind(models.TextChoices):
    NEW_FILING = "new_filing", _("New filing (首次备案)")
    ADD_SERVICE = "add_service", _("Add a service (新增网站/App)")
    NEW_ACCESS = "new_access", _("New access (新增接入)")
    CHANGE = "change", _("Change (变更备案)")
    CANCEL_SERVICE = "cancel_service", _("Cancel a service (注销网站/App)")
    CANCEL_ENTITY = "cancel_entity", _("Cancel the entity (注销主体)")
    CANCEL_ACCESS = "cancel_access", _("Cancel access (取消接入)")


class Channel(models.TextChoices):
    WECHAT = "wechat", _("WeChat")
    ALIPAY = "alipay", _("Alipay")
    DOUYIN = "douyin", _("Douyin")
    ALIBABA_CLOUD = "alibaba_cloud", _("Alibaba Cloud")
    TENCENT_CLOUD = "tencent_cloud", _("Tencent Cloud")
    HUAWEI_CLOUD = "huawei_cloud", _("Huawei Cloud")
    BAIDU_CLOUD = "baidu_cloud", _("Baidu AI Cloud")
    OTHER = "other", _("Other")


S = FilingStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PROVIDER_REVIEW, S.WITHDRAWN}),
    # Cancel-access orders skip SMS verification (domain.md §3.2), hence AUTHORITY_REVIEW here.
    S.PROVIDER_REVIEW: frozenset(
        {S.SMS_VERIFICATION, S.AUTHORITY_REVIEW, S.PROVIDER_REJECTED, S.WITHDRAWN}
    ),
    S.PROVIDER_REJECTED: frozenset({S.DRAFT, S.PROVIDER_REVIEW, S.WITHDRAWN}),
    # A timed-out or failed SMS check returns the order to the provider (PROVIDER_REJECTED).
    S.SMS_VERIFICATION: frozenset({S.AUTHORITY_REVIEW, S.PROVIDER_REJECTED, S.WITHDRAWN}),
    S.AUTHORITY_REVIEW: frozenset({S.APPROVED, S.AUTHORITY_REJECTED, S.WITHDRAWN}),
    S.AUTHORITY_REJECTED: frozenset({S.DRAFT, S.PROVIDER_REVIEW, S.WITHDRAWN}),
    S.APPROVED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Statuses that hold the operator's single slot at the authority ("主办者冲突").
IN_FLIGHT = frozenset(
    {
        S.PROVIDER_REVIEW,
        S.PROVIDER_REJECTED,
        S.SMS_VERIFICATION,
        S.AUTHORITY_REVIEW,
        S.AUTHORITY_REJECTED,
    }
)
REJECTED = frozenset({S.PROVIDER_REJECTED, S.AUTHORITY_REJECTED})
TERMINAL = frozenset({S.APPROVED, S.WITHDRAWN})

# Where each channel still lets the operator withdraw. WeChat: impossible once platform review
# is done or at the authority (domain.md §3.2); cloud providers allow it until the authority.
_PLATFORM_CHANNELS = frozenset({Channel.WECHAT, Channel.ALIPAY, Channel.DOUYIN})
WITHDRAWABLE_FROM: dict[str, frozenset[str]] = {
    "platform": frozenset({S.DRAFT, S.PROVIDER_REVIEW, S.PROVIDER_REJECTED, S.AUTHORITY_REJECTED}),
    "cloud": frozenset(
        {S.DRAFT, S.PROVIDER_REVIEW, S.PROVIDER_REJECTED, S.SMS_VERIFICATION, S.AUTHORITY_REJECTED}
    ),
}
CANCEL_KINDS = frozenset({FilingKind.CANCEL_SERVICE, FilingKind.CANCEL_ENTITY})


def allowed_targets(status: str, *, kind: str, channel: str) -> frozenset[str]:
    """The statuses an application of this kind and channel may move to from `status`."""
    targets = set(TRANSITIONS[status])
    if kind == FilingKind.CANCEL_ACCESS:
        targets.discard(S.SMS_VERIFICATION)
    elif status == S.PROVIDER_REVIEW:
        targets.discard(S.AUTHORITY_REVIEW)
    family = "platform" if channel in _PLATFORM_CHANNELS else "cloud"
    if status not in WITHDRAWABLE_FROM[family] or (kind in CANCEL_KINDS and status != S.DRAFT):
        # A cancellation cannot be withdrawn once submitted (WeChat rule, applied to all).
        targets.discard(S.WITHDRAWN)
    return frozenset(targets)


def is_allowed(from_status: str, to_status: str, *, kind: str, channel: str) -> bool:
    return to_status in allowed_targets(from_status, kind=kind, channel=channel)
