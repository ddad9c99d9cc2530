"""Reminder texts speak the recipient's language, including the engine's own sentence."""

import datetime

import pytest

from notifications.content import reminder_render
from tests.factories import MiniProgramFactory, make_notification

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 3, 25)


@pytest.fixture
def reminder(manager, operator):
    mp = MiniProgramFactory(operator=operator, name="老商城", launch_date=datetime.date(2022, 5, 1))
    r = make_notification(manager, operator).reminder
    r.subject_type, r.subject_id, r.subject_name = "miniprogram", mp.pk, mp.name
    r.rule, r.due_date = "miniprogram_existing_deadline", datetime.date(2024, 3, 31)
    r.message = "Planned by an English-speaking sweep."
    r.save()
    return r


def test_engine_sentence_is_re_rendered_in_chinese(reminder):
    msg = reminder_render(reminder, language="zh-hans", today=TODAY)
    assert "Planned by an English-speaking sweep." not in msg.text
    assert "老商城" in msg.text
    assert "2024-03-31" in msg.text
    assert "存量服务须于2024-03-31前备案" in msg.subject  # the rule by name, in Chinese


def test_english_reader_gets_english(reminder):
    msg = reminder_render(reminder, language="en", today=TODAY)
    assert "Existing service filed by 2024-03-31" in msg.subject
    assert "2024-03-31" in msg.text
    assert "存量" not in msg.text


def test_stored_sentence_is_the_fallback_when_the_item_is_gone(reminder):
    reminder.subject_id = 999999  # no such mini-program any more
    reminder.save()
    msg = reminder_render(reminder, language="zh-hans", today=TODAY)
    assert "Planned by an English-speaking sweep." in msg.text
