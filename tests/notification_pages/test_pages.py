"""The notification centre pages: inbox actions, preferences and the calendar link."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import CalendarFeed, Reminder
from notifications.services import calendar_feed_regenerate
from tests.factories import make_notification

pytestmark = pytest.mark.django_db


def test_inbox_lists_only_the_users_own_unread_notifications(client, manager, editor, operator):
    mine = make_notification(manager, operator, title="我的提醒")
    make_notification(editor, operator, title="别人的提醒", n=1)
    read = make_notification(manager, operator, title="已读提醒", n=2)
    read.read_at = timezone.now()
    read.save()
    client.force_login(manager)

    unread_page = client.get(reverse("notification_pages:inbox")).content.decode()
    all_page = client.get(reverse("notification_pages:inbox") + "?state=all").content.decode()

    assert f'id="notification-{mine.pk}"' in unread_page
    assert "已读提醒" not in unread_page
    assert "已读提醒" in all_page
    assert "别人的提醒" not in all_page


def test_acknowledge_with_htmx_returns_the_row_and_the_badge(client, manager, operator):
    n = make_notification(manager, operator)
    make_notification(manager, operator, n=1)
    client.force_login(manager)

    resp = client.post(
        reverse("notification_pages:acknowledge", args=[n.pk]), HTTP_HX_REQUEST="true"
    )

    html = resp.content.decode()
    assert 'data-state="acknowledged"' in html
    assert 'id="unread-badge"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'data-count="1"' in html  # one left unread
    summary = '<span id="unread-summary" data-testid="unread-summary" hx-swap-oob="true">'
    assert f"{summary}1 unread" in html
    n.refresh_from_db()
    assert n.acknowledged_at is not None
    assert n.read_at is not None
    assert Reminder.objects.get(pk=n.reminder_id).acknowledged_at == n.acknowledged_at


def test_acknowledge_without_htmx_redirects_to_the_inbox(client, manager, operator):
    n = make_notification(manager, operator)
    client.force_login(manager)

    resp = client.post(reverse("notification_pages:acknowledge", args=[n.pk]), {"state": "all"})

    assert resp.status_code == 302
    assert resp["Location"] == reverse("notification_pages:inbox") + "?state=all"


def test_acknowledge_returns_to_the_not_acknowledged_list(client, manager, operator):
    n = make_notification(manager, operator)
    client.force_login(manager)

    resp = client.post(
        reverse("notification_pages:acknowledge", args=[n.pk]), {"state": "unacknowledged"}
    )

    assert resp.status_code == 302
    assert resp["Location"] == reverse("notification_pages:inbox") + "?state=unacknowledged"


def test_someone_elses_notification_is_404_and_unchanged(client, manager, editor, operator):
    n = make_notification(editor, operator)
    client.force_login(manager)

    assert client.post(reverse("notification_pages:acknowledge", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert (n.read_at, n.acknowledged_at) == (None, None)


def test_actions_need_post(client, manager, operator):
    n = make_notification(manager, operator)
    client.force_login(manager)

    assert client.get(reverse("notification_pages:acknowledge", args=[n.pk])).status_code == 405


def test_preferences_are_saved(client, manager):
    client.force_login(manager)

    resp = client.post(
        reverse("notification_pages:preferences"),
        {"in_app": "on", "mode": "digest", "webhook_url": "", "language": "zh-hans"},
    )

    assert resp.status_code == 302
    manager.refresh_from_db()
    pref = manager.notification_preference
    assert (pref.in_app, pref.email, pref.mode) == (True, False, "digest")
    assert manager.language == "zh-hans"


def test_preferences_show_a_bad_webhook_inline(client, manager):
    client.force_login(manager)

    resp = client.post(
        reverse("notification_pages:preferences"),
        {"email": "on", "mode": "immediate", "webhook_url": "nonsense", "language": "en"},
    )

    assert resp.status_code == 400
    assert "This webhook URL is not recognised." in resp.content.decode()


def test_regenerate_shows_the_new_link_once_and_revokes_the_old(client, manager):
    old = calendar_feed_regenerate(user=manager)
    client.force_login(manager)

    resp = client.post(reverse("notification_pages:feed_regenerate"))

    html = resp.content.decode()
    assert resp.status_code == 200
    assert "no-store" in resp["Cache-Control"] or "max-age=0" in resp["Cache-Control"]
    assert 'data-testid="feed-url"' in html
    assert old not in html
    assert CalendarFeed.objects.filter(user=manager).count() == 1
    # Shown once: the next visit only says a link is active.
    assert (
        'data-testid="feed-url"'
        not in client.get(reverse("notification_pages:preferences")).content.decode()
    )


def test_revoke_removes_the_feed(client, manager):
    calendar_feed_regenerate(user=manager)
    client.force_login(manager)

    resp = client.post(reverse("notification_pages:feed_revoke"))

    assert resp.status_code == 302
    assert not CalendarFeed.objects.filter(user=manager).exists()


def test_pages_need_a_login(client):
    resp = client.get(reverse("notification_pages:inbox"))

    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("account_login"))
