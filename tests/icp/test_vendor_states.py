"""icp.vendor_states: WeChat's filing codes in our workflow, and the walk between states."""

from __future__ import annotations

import pytest

from icp.vendor_states import NOT_FILED_REASONS, path_to, wechat_target
from icp.workflow import FilingKind, FilingStatus

S = FilingStatus
NEW = {"kind": FilingKind.NEW_FILING, "channel": "wechat"}


@pytest.mark.parametrize(
    ("status", "sms", "expected"),
    [
        (2, 0, S.PROVIDER_REVIEW),
        (3, 0, S.PROVIDER_REJECTED),
        (4, 0, S.AUTHORITY_REVIEW),
        (4, 1, S.SMS_VERIFICATION),
        (4, 2, S.AUTHORITY_REVIEW),
        (4, 3, S.PROVIDER_REJECTED),
        (5, 0, S.AUTHORITY_REJECTED),
        (6, 0, S.APPROVED),
        (2, 1, S.PROVIDER_REVIEW),  # the SMS status means something only at the authority
    ],
)
def test_wechat_status_maps_onto_the_workflow(status, sms, expected):
    assert wechat_target(status, sms) == expected


@pytest.mark.parametrize("status", range(1024, 1032))
def test_not_filed_codes_have_no_application(status):
    assert wechat_target(status) is None
    assert status in NOT_FILED_REASONS


@pytest.mark.parametrize("status", [0, 1, 7, 1023, 1032, 9999])
def test_an_undocumented_code_is_refused_not_guessed(status):
    with pytest.raises(ValueError, match=str(status)):
        wechat_target(status)


def test_path_from_draft_to_approved_goes_through_sms_and_review():
    assert path_to(S.DRAFT, S.APPROVED, **NEW) == (
        S.PROVIDER_REVIEW,
        S.SMS_VERIFICATION,
        S.AUTHORITY_REVIEW,
        S.APPROVED,
    )


def test_path_to_the_same_state_is_empty():
    assert path_to(S.AUTHORITY_REVIEW, S.AUTHORITY_REVIEW, **NEW) == ()


def test_path_never_passes_through_a_rejection_or_withdrawal():
    path = path_to(S.DRAFT, S.AUTHORITY_REJECTED, **NEW)
    assert path == (
        S.PROVIDER_REVIEW,
        S.SMS_VERIFICATION,
        S.AUTHORITY_REVIEW,
        S.AUTHORITY_REJECTED,
    )
    assert path_to(S.AUTHORITY_REJECTED, S.PROVIDER_REVIEW, **NEW) == (S.PROVIDER_REVIEW,)


@pytest.mark.parametrize(
    ("start", "goal"),
    [
        (S.APPROVED, S.PROVIDER_REVIEW),  # approved is final
        (S.WITHDRAWN, S.AUTHORITY_REVIEW),
        (S.AUTHORITY_REVIEW, S.PROVIDER_REVIEW),  # the authority cannot hand back to review
    ],
)
def test_unreachable_states_are_none(start, goal):
    assert path_to(start, goal, **NEW) is None


def test_cancel_access_skips_the_sms_step():
    path = path_to(S.DRAFT, S.APPROVED, kind=FilingKind.CANCEL_ACCESS, channel="tencent_cloud")
    assert path == (S.PROVIDER_REVIEW, S.AUTHORITY_REVIEW, S.APPROVED)
