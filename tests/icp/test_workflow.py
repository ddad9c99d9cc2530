"""The transition rules against the hand-written effective table (pure: no database)."""

from __future__ import annotations

import pytest

from icp.channels import FilingChannel
from icp.workflow import TRANSITIONS, FilingKind, FilingStatus, allowed_targets

from .workflow_expected import FAMILIES, KIND_GROUPS, STATUSES, expected_targets

S = FilingStatus
CASES = [
    (status, kind, channel)
    for status in STATUSES
    for kind in FilingKind
    for channel in FilingChannel
]


def test_the_written_table_covers_every_status_kind_and_channel():
    assert set(STATUSES) == set(FilingStatus)
    assert {k for kinds in KIND_GROUPS.values() for k in kinds} == set(FilingKind)
    assert {c for channels in FAMILIES.values() for c in channels} == set(FilingChannel)


@pytest.mark.parametrize(
    ("status", "kind", "channel"), CASES, ids=[f"{s}-{k}-{c}" for s, k, c in CASES]
)
def test_allowed_targets_match_the_written_table(status, kind, channel):
    assert allowed_targets(status, kind=kind, channel=channel) == expected_targets(
        status, kind=kind, channel=channel
    )


def test_cancel_access_skips_sms_and_others_do_not():
    assert S.SMS_VERIFICATION not in allowed_targets(
        S.PROVIDER_REVIEW, kind=FilingKind.CANCEL_ACCESS, channel=FilingChannel.ALIBABA_CLOUD
    )
    assert S.AUTHORITY_REVIEW in allowed_targets(
        S.PROVIDER_REVIEW, kind=FilingKind.CANCEL_ACCESS, channel=FilingChannel.ALIBABA_CLOUD
    )
    assert S.AUTHORITY_REVIEW not in allowed_targets(
        S.PROVIDER_REVIEW, kind=FilingKind.NEW_FILING, channel=FilingChannel.ALIBABA_CLOUD
    )


def test_wechat_cannot_withdraw_at_the_authority_but_cloud_can_during_sms():
    wechat = allowed_targets(
        S.SMS_VERIFICATION, kind=FilingKind.NEW_FILING, channel=FilingChannel.WECHAT
    )
    cloud = allowed_targets(
        S.SMS_VERIFICATION, kind=FilingKind.NEW_FILING, channel=FilingChannel.TENCENT_CLOUD
    )
    assert S.WITHDRAWN not in wechat
    assert S.WITHDRAWN in cloud
    assert S.WITHDRAWN not in allowed_targets(
        S.AUTHORITY_REVIEW, kind=FilingKind.NEW_FILING, channel=FilingChannel.TENCENT_CLOUD
    )


def test_no_edge_leaves_authority_review_for_withdrawn():
    # The edge was unreachable through every channel; the table no longer lists it.
    assert S.WITHDRAWN not in TRANSITIONS[S.AUTHORITY_REVIEW]


def test_allowed_targets_never_exceed_the_table():
    for status in FilingStatus:
        for kind in FilingKind:
            for channel in FilingChannel:
                assert allowed_targets(status, kind=kind, channel=channel) <= TRANSITIONS[status]


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="not_a_status"):
        allowed_targets("not_a_status", kind=FilingKind.NEW_FILING, channel=FilingChannel.OTHER)
