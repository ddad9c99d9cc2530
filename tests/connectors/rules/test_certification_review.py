"""wechat_certification_review: due on the expiry's Beijing date, due soon from 60 days
before, overdue after, compliant once renewed or while the expiry is further away."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Q
from django.utils import translation

from compliance.messages import render_message
from compliance.models import ComplianceRule
from compliance.rules import RuleCode as R
from connectors.evaluators import through_miniprogram
from miniprograms.models import Operator
from tests.factories import CertificationReviewFactory, MiniProgramFactory

from .helpers import at, items_of

pytestmark = pytest.mark.django_db
RULE = R.WECHAT_CERTIFICATION_REVIEW


def _review(operator, expires: datetime.date, **kwargs):
    mp = MiniProgramFactory(operator=operator, name="好物小程序")
    return CertificationReviewFactory(
        miniprogram=mp,
        # late in the evening in Beijing: still the expiry's Beijing date, not UTC's next day
        expires_at=at(expires, 23),
        notified_at=at(expires - datetime.timedelta(days=90)),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("days_left", "status"),
    [
        (61, "compliant"),
        (60, "due_soon"),
        (1, "due_soon"),
        (0, "due_soon"),
        (-1, "overdue"),
    ],
)
def test_status_by_days_to_the_expiry(operator, days_left, status):
    expires = datetime.date(2026, 6, 30)
    review = _review(operator, expires)
    as_of = expires - datetime.timedelta(days=days_left)

    [item] = items_of(RULE, as_of=as_of)

    assert (item.subject_type, item.subject_id, item.subject_name) == (
        "miniprogram",
        review.miniprogram_id,
        "好物小程序",
    )
    assert (item.operator_id, item.organization_id) == (operator.pk, operator.organization_id)
    assert (item.status, item.due_date) == (status, expires)


def test_changes_on_the_first_warning_day_and_the_day_after_the_expiry(operator):
    expires = datetime.date(2026, 6, 30)
    _review(operator, expires)
    [far] = items_of(RULE, as_of=expires - datetime.timedelta(days=61))
    [near] = items_of(RULE, as_of=expires - datetime.timedelta(days=5))
    assert far.changes_on == expires - datetime.timedelta(days=60)
    assert near.changes_on == expires + datetime.timedelta(days=1)


def test_renewed_is_compliant_without_a_deadline(operator):
    expires = datetime.date(2026, 6, 30)
    _review(operator, expires, renewed_on=datetime.date(2026, 7, 2))

    [before] = items_of(RULE, as_of=datetime.date(2026, 7, 1))
    [after] = items_of(RULE, as_of=datetime.date(2026, 7, 2))

    assert before.status == "overdue"  # not renewed yet as of the 1st
    assert (after.status, after.due_date, after.changes_on) == ("compliant", None, None)
    assert after.note["v"]["renewed"] == "2026-07-02"


def test_warn_days_come_from_the_rule_row(operator):
    ComplianceRule.objects.filter(code=RULE).update(params={"warn_days": 10})
    expires = datetime.date(2026, 6, 30)
    _review(operator, expires)
    [item] = items_of(RULE, as_of=expires - datetime.timedelta(days=11))
    assert item.status == "compliant"


def test_not_announced_yet_as_of_the_date_gives_no_item(operator):
    expires = datetime.date(2026, 6, 30)
    _review(operator, expires)  # announced 90 days before
    assert items_of(RULE, as_of=expires - datetime.timedelta(days=91)) == []


def test_scoped_to_the_operators_passed_in(operator, other_operator):
    expires = datetime.date(2026, 6, 30)
    mine = _review(operator, expires)
    _review(other_operator, expires)
    items = items_of(RULE, as_of=expires, operators=Operator.objects.filter(pk=operator.pk))
    assert [i.subject_id for i in items] == [mine.miniprogram_id]


def test_two_platforms_announcing_one_miniprogram_make_one_item(operator):
    expires = datetime.date(2026, 6, 30)
    first = _review(operator, expires)
    CertificationReviewFactory(
        miniprogram=first.miniprogram,
        expires_at=at(expires + datetime.timedelta(days=1)),
        notified_at=at(expires - datetime.timedelta(days=30)),
    )
    [item] = items_of(RULE, as_of=expires)
    # the latest announcement wins
    assert item.due_date == expires + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("days_left", "en"),
    [
        (
            30,
            "The WeChat certification of 好物小程序 expires on 2026-06-30 (in 30 days): complete "
            "its annual review (微信认证年审) in the WeChat admin before then.",
        ),
        (
            0,
            "The WeChat certification of 好物小程序 expires today, 2026-06-30: complete its "
            "annual review (微信认证年审) in the WeChat admin today.",
        ),
        (
            -1,
            "The WeChat certification of 好物小程序 expired on 2026-06-30: complete its annual "
            "review (微信认证年审) in the WeChat admin now, then record the renewal here.",
        ),
        (61, "The WeChat certification of 好物小程序 is valid until 2026-06-30."),
    ],
)
def test_messages_name_the_miniprogram_the_date_and_what_to_do(operator, days_left, en):
    expires = datetime.date(2026, 6, 30)
    _review(operator, expires)
    [item] = items_of(RULE, as_of=expires - datetime.timedelta(days=days_left))
    with translation.override("en"):
        assert render_message(item.note) == en
    with translation.override("zh-hans"):
        zh = render_message(item.note)
    assert "好物小程序" in zh
    assert "2026-06-30" in zh


def test_the_scope_is_followed_through_the_miniprogram():
    scope = Q(operator__in=[1, 2]) & ~Q(operator__organization_id=3)
    rebased = through_miniprogram(scope)
    assert rebased == Q(miniprogram__operator__in=[1, 2]) & ~Q(
        miniprogram__operator__organization_id=3
    )
    assert through_miniprogram(Q()) == Q()
