"""What a vendor's filing state means in our workflow, and how to walk there.

Pure: no Django models, no database. A connector reads a vendor's state (WeChat's
`get_icp_entrance_info`, Tencent Cloud's orders) and `connectors.apply` moves our application
along `path_to`, one `filings.services.filing_transition` per step, so every step the vendor
took is a row of the application's history. A state the table cannot reach from where we are
is `None`: the connector records a finding instead of overwriting anything.

WeChat's `info.status` (channels.md): 2 platform review · 3 platform rejected · 4 authority
review · 5 authority rejected · 6 filed · 1024 not filed · 1025–1031 not filed with a reason.
`sms_verify_status` (status 4 only): 1 waiting for the SMS check · 2 done · 3 timed out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from enum import IntEnum
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from .types import Text
from .workflow import REJECTED, FilingStatus, allowed_targets

__all__ = [
    "NOT_FILED_REASONS",
    "WECHAT_STATUS",
    "SmsVerifyStatus",
    "WeChatStatus",
    "path_to",
    "wechat_target",
]

S = FilingStatus


class WeChatStatus(IntEnum):
    PLATFORM_REVIEW = 2
    PLATFORM_REJECTED = 3
    AUTHORITY_REVIEW = 4
    AUTHORITY_REJECTED = 5
    FILED = 6
    NOT_FILED = 1024


class SmsVerifyStatus(IntEnum):
    NONE = 0
    WAITING = 1
    DONE = 2
    TIMED_OUT = 3


# Our status for each WeChat status that is an application (1024–1031: none, not filed).
WECHAT_STATUS: Mapping[int, FilingStatus] = MappingProxyType(
    {
        WeChatStatus.PLATFORM_REVIEW: S.PROVIDER_REVIEW,
        WeChatStatus.PLATFORM_REJECTED: S.PROVIDER_REJECTED,
        WeChatStatus.AUTHORITY_REVIEW: S.AUTHORITY_REVIEW,
        WeChatStatus.AUTHORITY_REJECTED: S.AUTHORITY_REJECTED,
        WeChatStatus.FILED: S.APPROVED,
    }
)

# 1024–1031: not filed, and why (the public docs name the families, not each code [U]).
NOT_FILED_REASONS: Mapping[int, Text] = MappingProxyType(
    {
        1024: _("Not filed."),
        1025: _("Not filed: information missing."),
        1026: _("Not filed: information missing."),
        1027: _("Not filed: the service category needs attention."),
        1028: _("Not filed: the service category needs attention."),
        1029: _("Not filed: the mini-program's certification is not complete."),
        1030: _("Not filed: the mini-program's certification is not complete."),
        1031: _("Not filed: the mini-program's certification is not complete."),
    }
)


def wechat_target(status: int, sms_verify_status: int = 0) -> FilingStatus | None:
    """Our status for WeChat's `status` and `sms_verify_status`; None: not filed (1024–1031).

    Authority review waiting for the SMS check is our SMS step; a timed-out check returns the
    order to the platform (our workflow: provider rejected). Raises ValueError for a status
    the documentation does not list, so a new code is reported, not guessed.
    """
    if status in NOT_FILED_REASONS:
        return None
    if status not in WECHAT_STATUS:
        raise ValueError(f"unknown WeChat filing status {status}")
    target = WECHAT_STATUS[status]
    if target == S.AUTHORITY_REVIEW:
        if sms_verify_status == SmsVerifyStatus.WAITING:
            return S.SMS_VERIFICATION
        if sms_verify_status == SmsVerifyStatus.TIMED_OUT:
            return S.PROVIDER_REJECTED
    return target


def path_to(
    current: str, target: str, *, kind: str, channel: str
) -> tuple[FilingStatus, ...] | None:
    """The shortest walk through the workflow table from `current` to `target`.

    `()` when already there; None when the table has no way (then nothing may be written).
    Steps in between are never a rejection or a withdrawal: a vendor that reports review
    after review did not reject in between as far as anyone can tell.
    """
    start, goal = FilingStatus(current), FilingStatus(target)
    if start == goal:
        return ()
    seen: dict[FilingStatus, FilingStatus | None] = {start: None}
    queue: deque[FilingStatus] = deque([start])
    while queue:
        here = queue.popleft()
        for nxt in sorted(allowed_targets(here, kind=kind, channel=channel)):
            if nxt in seen:
                continue
            if nxt != goal and (nxt in REJECTED or nxt in (S.WITHDRAWN, S.DRAFT)):
                continue
            seen[nxt] = here
            if nxt == goal:
                steps: list[FilingStatus] = []
                at: FilingStatus | None = nxt
                while at is not None and at != start:
                    steps.append(at)
                    at = seen[at]
                return tuple(reversed(steps))
            queue.append(nxt)
    return None
