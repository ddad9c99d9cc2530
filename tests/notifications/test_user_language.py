"""Reminders, in-app notifications and the calendar feed speak their reader's `user.language`."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compliance import tracking
from notifications import services
from notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db
D = datetime.date


def test_in_app_notifications_follow_the_users_language(mp, manager, editor):
    editor.language = "zh-hans"
    editor.save()

    services.sweep_run_inline(as_of=D(2024, 3, 25))

    zh = Notification.objects.get(user=editor)
    en = Notification.objects.get(user=manager)
    assert "6 天后到期" in zh.title
    assert "due in 6 days" in en.title
    assert set(Delivery.objects.filter(user=editor).values_list("language", flat=True)) == {
        "zh-hans"
    }


def test_calendar_feed_speaks_its_owners_language(client, mp, manager):
    tracking.flush()
    manager.language = "zh-hans"
    manager.save()
    token = services.calendar_feed_regenerate(user=manager)

    # No session, an English browser: the owner's language still wins.
    response = client.get(
        reverse("calendar-feed", kwargs={"token": token}), HTTP_ACCEPT_LANGUAGE="en"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "ICP 备案合规截止日期" in body
    assert "ICP compliance deadlines" not in body


def test_calendar_feed_in_english_for_an_english_owner(client, mp, manager):
    tracking.flush()
    token = services.calendar_feed_regenerate(user=manager)

    body = client.get(
        reverse("calendar-feed", kwargs={"token": token}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    assert "ICP compliance deadlines" in body
