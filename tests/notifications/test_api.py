"""Notifications API, preferences, webhooks and the ICS feed: scoping and content."""

from __future__ import annotations

import datetime

import icalendar
import pytest
import time_machine

from notifications import services
from notifications.models import CalendarFeed, Notification, NotificationPreference, WebhookEndpoint
from tests.factories import MiniProgramFactory

from .conftest import BEIJING

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def notified(mp, manager, other_manager, other_operator):
    """Both tenants have a due mini-program and a notification for their manager."""
    MiniProgramFactory(operator=other_operator, launch_date=D(2022, 6, 1))
    services.sweep_run_inline(as_of=D(2024, 3, 25))
    return Notification.objects.get(user=manager), Notification.objects.get(user=other_manager)


def test_list_shows_only_my_notifications(notified, manager, api):
    mine, _theirs = notified
    res = api(manager).get("/api/v1/notifications/")
    assert res.status_code == 200
    assert [n["id"] for n in res.json()["results"]] == [mine.pk]
    row = res.json()["results"][0]
    assert (row["state"], row["rule"], row["due_date"]) == (
        "unread",
        "miniprogram_existing_deadline",
        "2024-03-31",
    )


@pytest.mark.parametrize("action", ["read", "acknowledge"])
def test_other_tenants_notification_is_404_and_unchanged(notified, manager, api, action):
    _mine, theirs = notified
    res = api(manager).post(f"/api/v1/notifications/{theirs.pk}/{action}/")
    assert res.status_code == 404
    assert api(manager).get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.read_at, theirs.acknowledged_at) == (None, None)
    assert theirs.reminder.acknowledged_at is None


def test_anonymous_gets_nothing(notified, api):
    assert api().get("/api/v1/notifications/").status_code == 403


def test_read_then_acknowledge(notified, manager, api):
    mine, _ = notified
    assert api(manager).post(f"/api/v1/notifications/{mine.pk}/read/").json()["state"] == "read"
    res = api(manager).post(f"/api/v1/notifications/{mine.pk}/acknowledge/")
    assert res.json()["state"] == "acknowledged"
    mine.refresh_from_db()
    assert mine.reminder.acknowledged_at is not None
    unread = api(manager).get("/api/v1/notifications/?state=unread").json()
    assert unread["count"] == 0


def test_preferences_get_defaults_and_patch(manager, api):
    c = api(manager)
    assert c.get("/api/v1/notifications/preferences/").json() == {
        "email": True,
        "in_app": True,
        "mode": "immediate",
        "language": "en",
        "webhook": "",
        "webhook_removed_reason": "",
    }
    res = c.patch(
        "/api/v1/notifications/preferences/",
        {"mode": "digest", "language": "zh-hans", "webhook_url": "wecombot://SECRETKEY1234567"},
        format="json",
    )
    assert res.status_code == 200, res.json()
    body = res.json()
    assert (body["mode"], body["language"]) == ("digest", "zh-hans")
    assert "SECRETKEY1234567" not in str(body)
    assert body["webhook"].startswith("wecombot://")
    manager.refresh_from_db()
    assert manager.language == "zh-hans"
    assert NotificationPreference.objects.get(user=manager).webhook_url == (
        "wecombot://SECRETKEY1234567"
    )


def test_preferences_reject_unknown_webhook_url(manager, api):
    res = api(manager).patch(
        "/api/v1/notifications/preferences/", {"webhook_url": "nope://x"}, format="json"
    )
    assert res.status_code == 400
    assert not NotificationPreference.objects.filter(user=manager).exists()


def test_webhook_endpoints_masked_and_manager_only(org, manager, editor, other_manager, api):
    secret = "dingtalk://VERYSECRETACCESSTOKEN0123456789/"
    res = api(manager).post(
        "/api/v1/webhooks/",
        {"organization": org.pk, "name": "群机器人", "kind": "dingtalk", "url": secret},
        format="json",
    )
    assert res.status_code == 201, res.json()
    assert "VERYSECRET" not in str(res.json())
    listed = api(manager).get("/api/v1/webhooks/").json()["results"]
    assert [w["masked_url"] for w in listed] == ["dingtalk://V...9/"]
    # an editor may not add one; another tenant does not see it
    denied = api(editor).post(
        "/api/v1/webhooks/",
        {"organization": org.pk, "name": "x", "kind": "json", "url": "json://example.com/"},
        format="json",
    )
    assert denied.status_code == 403
    assert api(other_manager).get("/api/v1/webhooks/").json()["results"] == []
    wid = listed[0]["id"]
    assert api(other_manager).delete(f"/api/v1/webhooks/{wid}/").status_code == 404
    assert WebhookEndpoint.objects.count() == 1


def test_webhook_kind_must_match_url(org, manager, api):
    res = api(manager).post(
        "/api/v1/webhooks/",
        {"organization": org.pk, "name": "x", "kind": "wecom", "url": "json://example.com/"},
        format="json",
    )
    assert res.status_code == 400
    assert WebhookEndpoint.objects.count() == 0


@time_machine.travel(datetime.datetime(2024, 3, 25, 10, tzinfo=BEIJING), tick=False)
def test_calendar_feed_shows_only_scoped_deadlines(mp, client_user, other_operator, api, client):
    # given: a due mini-program elsewhere in the organization and in another tenant
    from tests.factories import OperatorFactory

    elsewhere = OperatorFactory(organization=mp.organization)
    hidden = MiniProgramFactory(operator=elsewhere, name="看不见", launch_date=D(2022, 6, 1))
    MiniProgramFactory(operator=other_operator, name="别人的", launch_date=D(2022, 6, 1))

    # when
    res = api(client_user).post("/api/v1/notifications/calendar/regenerate/")
    url = res.json()["url"]
    feed = client.get(url)

    # then
    assert res.status_code == 201
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(feed.content)
    events = list(cal.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [
        "测试小程序: Existing service filed by 2024-03-31"
    ]
    assert events[0].decoded("dtstart") == D(2024, 3, 31)
    assert str(events[0]["uid"]) == (
        f"miniprogram_existing_deadline-miniprogram-{mp.pk}-20240331@icpfiling"
    )
    assert hidden.name not in feed.content.decode()


def test_calendar_token_regenerate_and_revoke(manager, api, client):
    c = api(manager)
    old = c.post("/api/v1/notifications/calendar/regenerate/").json()["url"]
    new = c.post("/api/v1/notifications/calendar/regenerate/").json()["url"]
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert c.get("/api/v1/notifications/calendar/").json()["active"] is True

    assert c.post("/api/v1/notifications/calendar/revoke/").status_code == 204
    assert client.get(new).status_code == 404
    assert CalendarFeed.objects.filter(user=manager).count() == 0
    assert c.get("/api/v1/notifications/calendar/").json() == {
        "active": False,
        "created_at": None,
        "last_used_at": None,
    }
    token = new.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in str(list(CalendarFeed.objects.values()))


def test_calendar_feed_of_disabled_user_is_404(manager, api, client):
    url = api(manager).post("/api/v1/notifications/calendar/regenerate/").json()["url"]
    manager.is_active = False
    manager.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("wecombot://abcdefSECRETkey", "wecombot://a...y/", id="wecom_case"),
        pytest.param("feishu://TOKENabc123456789/", "feishu://T...9/", id="feishu_case"),
        pytest.param(
            "jsons://user:pa55word@host/hook", "jsons://user:****@host/hook", id="pw_case"
        ),
        pytest.param(
            "json://example.com/hooks/0123456789abcdefSECRET",
            "json://example.com/hooks/0...T",
            id="path_token_case",
        ),
        pytest.param("nope://whatever-secret", "****", id="unknown_case"),
    ],
)
def test_mask_url_hides_secrets(url, expected):
    from notifications.channels import mask_url

    assert mask_url(url) == expected
