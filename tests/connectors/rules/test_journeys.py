"""The connector rules in the worklist and the reminders: a face-verification task in the
Today block, reminded on its hour ladder (24/4/1 h) once per step to the people responsible
for its operator; a certification review reminded 60, 30 and 0 days before, once per step."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from compliance import tracking
from compliance.models import ComplianceItem
from compliance.rules import RuleCode as R
from dashboard.compliance import overview_today
from dashboard.fixes import fix_urls
from miniprograms.choices import PersonRole
from notifications import services as notifications
from notifications.models import Delivery, Notification, Reminder, ReminderLadder, ReminderStatus
from tests.compliance.worklist_helpers import open_item
from tests.factories import (
    CertificationReviewFactory,
    FaceVerifyTaskFactory,
    FilingFactory,
    MembershipFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
)

from .helpers import H, at

pytestmark = pytest.mark.django_db


def _sweep_twice() -> None:
    for _ in range(2):
        notifications.sweep_run_inline(as_of=timezone.localdate())


def _steps(mp, rule: str) -> list[tuple[str, str]]:
    return list(
        Reminder.objects.filter(subject_type="miniprogram", subject_id=mp.pk, rule=rule)
        .order_by("due_at", "pk")
        .values_list("step", "status")
    )


def test_the_ladders_are_seeded():
    review = ReminderLadder.objects.get(organization=None, rule=R.WECHAT_CERTIFICATION_REVIEW)
    face = ReminderLadder.objects.get(organization=None, rule=R.FACE_VERIFICATION)
    assert (review.offsets, review.hour_offsets) == ([60, 30, 0], [])
    assert (face.offsets, face.hour_offsets) == ([], [24, 4, 1])


def test_face_task_in_today_reminded_by_the_hour_to_the_operators_people(
    org, operator, manager, client_user
):
    created = at(datetime.date(2026, 3, 10), 9)
    expires = created + 20 * H  # 2026-03-11 05:00 Beijing
    mp = MiniProgramFactory(operator=operator, name="好物小程序")
    person = PersonFactory(
        operator=operator, miniprogram=mp, role=PersonRole.SERVICE, email="fuzeren@example.cn"
    )
    # a member limited to another operator of the same organization hears nothing
    elsewhere = OperatorFactory(organization=org)
    stranger = MembershipFactory(organization=org, role=Role.CLIENT, limited_to_assigned=True)
    stranger.operators.set([elsewhere])

    with time_machine.travel(created, tick=False):
        task = FaceVerifyTaskFactory(miniprogram=mp, created_at=created, expires_at=expires)
        tracking.flush()
        today = overview_today(user=manager, organization_id=None, as_of=timezone.localdate())
        in_today = [i for i in today["today"].rows if i.rule == R.FACE_VERIFICATION]
        assert [(i.subject_id, i.status, i.due_at) for i in in_today] == [
            (mp.pk, "due_soon", task.expires_at)
        ]
        _sweep_twice()
        assert _steps(mp, R.FACE_VERIFICATION) == [("hours:24", ReminderStatus.SENT)]

    for hours_before, step in ((4, "hours:4"), (1, "hours:1")):
        with time_machine.travel(expires - hours_before * H, tick=False):
            _sweep_twice()
            assert _steps(mp, R.FACE_VERIFICATION)[-1] == (step, ReminderStatus.SENT)

    assert [s for s, _ in _steps(mp, R.FACE_VERIFICATION)] == ["hours:24", "hours:4", "hours:1"]
    # each step reached the operator's assignee once, and the mini-program's responsible
    # person by e-mail once; never the member of another operator
    for user in (client_user, manager):
        got = Notification.objects.filter(user=user, reminder__rule=R.FACE_VERIFICATION)
        assert sorted(got.values_list("reminder__step", flat=True)) == [
            "hours:1",
            "hours:24",
            "hours:4",
        ]
    assert not Notification.objects.filter(user=stranger.user).exists()
    mailed = Delivery.objects.filter(person=person, reminder__rule=R.FACE_VERIFICATION)
    assert mailed.count() == 3

    with time_machine.travel(expires + 10 * datetime.timedelta(minutes=1), tick=False):
        tracking.advance()
        row = ComplianceItem.objects.get(
            subject_type="miniprogram", subject_id=mp.pk, rule=R.FACE_VERIFICATION, closed_at=None
        )
        assert row.status == "overdue"


def test_certification_review_reminded_60_30_and_0_days_before_once_each(operator, manager):
    expires = datetime.date(2026, 6, 30)
    mp = MiniProgramFactory(operator=operator, name="好物小程序")
    with time_machine.travel(at(expires - datetime.timedelta(days=61)), tick=False):
        CertificationReviewFactory(miniprogram=mp, expires_at=at(expires, 23))
        tracking.flush()
        _sweep_twice()
        assert _steps(mp, R.WECHAT_CERTIFICATION_REVIEW) == []

    for days in (60, 45, 30, 10, 0):
        with time_machine.travel(at(expires - datetime.timedelta(days=days)), tick=False):
            tracking.advance()
            _sweep_twice()

    steps = _steps(mp, R.WECHAT_CERTIFICATION_REVIEW)
    assert steps == [
        ("before:60", ReminderStatus.SENT),
        ("before:30", ReminderStatus.SENT),
        ("before:0", ReminderStatus.SENT),
    ]
    got = Notification.objects.filter(user=manager, reminder__rule=R.WECHAT_CERTIFICATION_REVIEW)
    assert sorted(got.values_list("reminder__step", flat=True)) == [
        "before:0",
        "before:30",
        "before:60",
    ]

    # expired without a renewal: escalated to the managers, once
    for _ in range(2):
        with time_machine.travel(at(expires + datetime.timedelta(days=1)), tick=False):
            tracking.advance()
            _sweep_twice()
    assert [s for s, _ in _steps(mp, R.WECHAT_CERTIFICATION_REVIEW)] == [
        "before:60",
        "before:30",
        "before:0",
        "escalation",
    ]


def test_fix_links_lead_to_the_miniprogram_or_its_filing_in_progress(operator):
    mp = MiniProgramFactory(operator=operator)
    bare = MiniProgramFactory(operator=operator)
    filing = FilingFactory(miniprogram=mp, status="authority_review")
    review = open_item(operator, rule=R.WECHAT_CERTIFICATION_REVIEW, subject_id=mp.pk)
    face = open_item(operator, rule=R.FACE_VERIFICATION, subject_id=mp.pk)
    face_bare = open_item(operator, rule=R.FACE_VERIFICATION, subject_id=bare.pk)
    links = fix_urls([review, face, face_bare])
    assert links[review.pk] == f"/miniprograms/{mp.pk}/"
    assert links[face.pk] == f"/filings/{filing.pk}/"
    assert links[face_bare.pk] == f"/miniprograms/{bare.pk}/"


@pytest.mark.parametrize(("hours", "in_today"), [(25, False), (23, True), (3, True)])
def test_only_a_face_task_expiring_within_24_hours_is_in_today(operator, manager, hours, in_today):
    now = at(datetime.date(2026, 3, 10), 9)
    mp = MiniProgramFactory(operator=operator)
    with time_machine.travel(now, tick=False):
        FaceVerifyTaskFactory(miniprogram=mp, created_at=now - H, expires_at=now + hours * H)
        tracking.flush()
        today = overview_today(user=manager, organization_id=None, as_of=timezone.localdate())
        listed = [i.subject_id for i in today["today"].rows if i.rule == R.FACE_VERIFICATION]
        due_soon = [i.subject_id for i in today["due_soon"].rows if i.rule == R.FACE_VERIFICATION]
    assert listed == ([mp.pk] if in_today else [])
    assert due_soon == [mp.pk]  # due soon either way
