"""The effective workflow, written out by hand (README "Workflow"), per channel family and kind.

Tests compare `icp.workflow.allowed_targets` and `filings.services.filing_transition` against
this table, so a change to the transition rules must be made here too, on purpose.

Kind groups: "ordinary" is new filing, add service, new access and change; "cancel" is cancel
service and cancel entity (no withdrawal once submitted); "cancel_access" skips the SMS check.
Family "platform" is WeChat, Alipay and Douyin (no withdrawal during the SMS check); "cloud" is
every other channel. No order can be withdrawn at the authority.
"""

from __future__ import annotations

DRAFT = "draft"
P_REVIEW = "provider_review"
P_REJECTED = "provider_rejected"
SMS = "sms_verification"
A_REVIEW = "authority_review"
A_REJECTED = "authority_rejected"
APPROVED = "approved"
WITHDRAWN = "withdrawn"

STATUSES = (DRAFT, P_REVIEW, P_REJECTED, SMS, A_REVIEW, A_REJECTED, APPROVED, WITHDRAWN)

KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "ordinary": ("new_filing", "add_service", "new_access", "change"),
    "cancel": ("cancel_service", "cancel_entity"),
    "cancel_access": ("cancel_access",),
}
FAMILIES: dict[str, tuple[str, ...]] = {
    "platform": ("wechat", "alipay", "douyin"),
    "cloud": ("alibaba_cloud", "tencent_cloud", "huawei_cloud", "baidu_cloud", "other"),
}

# (family, kind group) -> {from: the statuses it may move to}
EFFECTIVE: dict[tuple[str, str], dict[str, set[str]]] = {
    ("cloud", "ordinary"): {
        DRAFT: {P_REVIEW, WITHDRAWN},
        P_REVIEW: {SMS, P_REJECTED, WITHDRAWN},
        P_REJECTED: {DRAFT, P_REVIEW, WITHDRAWN},
        SMS: {A_REVIEW, P_REJECTED, WITHDRAWN},
        A_REVIEW: {APPROVED, A_REJECTED},
        A_REJECTED: {DRAFT, P_REVIEW, WITHDRAWN},
        APPROVED: set(),
        WITHDRAWN: set(),
    },
    ("platform", "ordinary"): {
        DRAFT: {P_REVIEW, WITHDRAWN},
        P_REVIEW: {SMS, P_REJECTED, WITHDRAWN},
        P_REJECTED: {DRAFT, P_REVIEW, WITHDRAWN},
        SMS: {A_REVIEW, P_REJECTED},
        A_REVIEW: {APPROVED, A_REJECTED},
        A_REJECTED: {DRAFT, P_REVIEW, WITHDRAWN},
        APPROVED: set(),
        WITHDRAWN: set(),
    },
    ("cloud", "cancel"): {
        DRAFT: {P_REVIEW, WITHDRAWN},
        P_REVIEW: {SMS, P_REJECTED},
        P_REJECTED: {DRAFT, P_REVIEW},
        SMS: {A_REVIEW, P_REJECTED},
        A_REVIEW: {APPROVED, A_REJECTED},
        A_REJECTED: {DRAFT, P_REVIEW},
        APPROVED: set(),
        WITHDRAWN: set(),
    },
    ("platform", "cancel"): {
        DRAFT: {P_REVIEW, WITHDRAWN},
        P_REVIEW: {SMS, P_REJECTED},
        P_REJECTED: {DRAFT, P_REVIEW},
        SMS: {A_REVIEW, P_REJECTED},
        A_REVIEW: {APPROVED, A_REJECTED},
        A_REJECTED: {DRAFT, P_REVIEW},
        APPROVED: set(),
        WITHDRAWN: set(),
    },
    ("cloud", "cancel_access"): {
        DRAFT: {P_REVIEW, WITHDRAWN},
        P_REVIEW: {A_REVIEW, P_REJECTED, WITHDRAWN},
        P_REJECTED: {DRAFT, P_REVIEW, WITHDRAWN},
        SMS: {A_REVIEW, P_REJECTED, WITHDRAWN},
        A_REVIEW: {APPROVED, A_REJECTED},
        A_REJECTED: {DRAFT, P_REVIEW, WITHDRAWN},
        APPROVED: set(),
        WITHDRAWN: set(),
    },
    ("platform", "cancel_access"): {
        DRAFT: {P_REVIEW, WITHDRAWN},
        P_REVIEW: {A_REVIEW, P_REJECTED, WITHDRAWN},
        P_REJECTED: {DRAFT, P_REVIEW, WITHDRAWN},
        SMS: {A_REVIEW, P_REJECTED},
        A_REVIEW: {APPROVED, A_REJECTED},
        A_REJECTED: {DRAFT, P_REVIEW, WITHDRAWN},
        APPROVED: set(),
        WITHDRAWN: set(),
    },
}


def expected_targets(status: str, *, kind: str, channel: str) -> set[str]:
    """The hand-written answer for one (status, kind, channel)."""
    family = next(f for f, channels in FAMILIES.items() if channel in channels)
    group = next(g for g, kinds in KIND_GROUPS.items() if kind in kinds)
    return EFFECTIVE[(family, group)][status]
