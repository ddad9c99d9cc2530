"""Webhooks go out only through core.egress: refused when saved and again before each send,
against listeners on 127.0.0.1 that count every request that reaches them."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)
from tests.egress_fakes import Answer, Listener, self_signed, tls_context
from tests.factories import MembershipFactory

from .conftest import end_of

pytestmark = pytest.mark.django_db
D = datetime.date

INTERNAL_HOSTS = [
    pytest.param("127.0.0.1", id="loopback_case"),
    pytest.param("localhost", id="localhost_case"),
    pytest.param("[::1]", id="ipv6_loopback_case"),
    pytest.param("169.254.169.254", id="metadata_case"),
    pytest.param("10.0.0.1", id="private_case"),
    pytest.param("2130706433", id="decimal_case"),
    pytest.param("0x7f000001", id="hex_case"),
    pytest.param("0177.0.0.1", id="octal_case"),
    pytest.param("[::ffff:127.0.0.1]", id="ipv4_mapped_case"),
    pytest.param("metadata.google.internal", id="metadata_name_case"),
    pytest.param("100.100.100.200", id="alibaba_metadata_case"),
    pytest.param("rebound.example.org", id="resolves_to_loopback_case"),
]
OVERRIDES = [
    pytest.param("?method=GET", id="method_case"),
    pytest.param("?+Metadata-Flavor=Google", id="header_case"),
    pytest.param("?-token=x", id="query_param_case"),
    pytest.param("?:message=", id="payload_field_case"),
]


@pytest.fixture
def listener(hosts_file):
    hosts_file.table["rebound.example.org"] = ["127.0.0.1"]
    with Listener() as srv:
        yield srv


def _hook(listener: Listener, host: str) -> str:
    return f"json://{host}:{listener.port}/hook"


def _send_once(mp):
    """Plan and send the reminders of 2024-03-25; the organization webhook's delivery."""
    services.sweep_run_inline(as_of=D(2024, 3, 25), now=end_of(D(2024, 3, 25)))
    return Delivery.objects.get(channel=Channel.WEBHOOK)


# --- saved ------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", INTERNAL_HOSTS)
def test_api_refuses_an_internal_endpoint(host, listener, org, manager, api):
    res = api(manager).post(
        "/api/v1/webhooks/",
        {"organization": org.pk, "name": "x", "kind": "json", "url": _hook(listener, host)},
        format="json",
    )
    assert res.status_code == 400
    assert "refused" in str(res.json())
    assert not WebhookEndpoint.objects.exists()
    assert listener.seen == []


@pytest.mark.parametrize("host", INTERNAL_HOSTS)
def test_admin_refuses_an_internal_endpoint(host, listener, org, superuser, client):
    client.force_login(superuser)
    resp = client.post(
        "/admin/notifications/webhookendpoint/add/",
        {
            "organization": org.pk,
            "name": "x",
            "kind": "json",
            "url": _hook(listener, host),
            "language": "zh-hans",
        },
    )
    assert resp.status_code == 200  # the form again, with the error
    assert "refused" in resp.content.decode()
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("host", INTERNAL_HOSTS)
def test_preferences_page_refuses_an_internal_personal_webhook(host, listener, manager, client):
    client.force_login(manager)
    resp = client.post(
        reverse("notification_pages:preferences"),
        {
            "email": "on",
            "mode": "immediate",
            "webhook_url": _hook(listener, host),
            "language": "en",
        },
    )
    assert resp.status_code == 400
    assert "refused" in resp.content.decode()
    assert not NotificationPreference.objects.filter(user=manager).exists()


def test_preferences_api_refuses_an_internal_personal_webhook(listener, manager, api):
    res = api(manager).patch(
        "/api/v1/notifications/preferences/",
        {"webhook_url": _hook(listener, "169.254.169.254")},
        format="json",
    )
    assert res.status_code == 400
    assert "cloud metadata" in str(res.json()["webhook_url"])
    assert not NotificationPreference.objects.filter(user=manager).exists()


@pytest.mark.parametrize("query", OVERRIDES)
def test_method_and_header_overrides_are_refused_when_saved(query, org, manager, api):
    res = api(manager).post(
        "/api/v1/webhooks/",
        {"organization": org.pk, "name": "x", "kind": "json", "url": f"json://example.com/{query}"},
        format="json",
    )
    assert res.status_code == 400
    assert "may not set the method, headers" in str(res.json())
    assert not WebhookEndpoint.objects.exists()


def test_a_vendor_kind_reaches_only_its_vendor(org, manager, api):
    res = api(manager).post(
        "/api/v1/webhooks/",
        {"organization": org.pk, "name": "x", "kind": "wecom", "url": "wecombot://KEY0123456789"},
        format="json",
    )
    assert res.status_code == 201, res.json()


# --- sent -------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", INTERNAL_HOSTS)
def test_a_stored_internal_endpoint_fails_for_good_and_sends_nothing(host, listener, mp, manager):
    # given: a row inserted directly, past every save-time check
    WebhookEndpoint.objects.create(
        organization=mp.organization, name="hook", kind="json", url=_hook(listener, host)
    )

    # when
    hook = _send_once(mp)

    # then: failed at the first attempt, nothing reached the listener
    assert (hook.status, hook.attempts) == (DeliveryStatus.FAILED, 1)
    assert "refused" in hook.last_error
    assert listener.seen == []


@pytest.mark.parametrize("query", OVERRIDES)
def test_a_stored_override_fails_for_good_and_sends_nothing(query, listener, mp, manager, settings):
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]  # the listener itself is reachable
    WebhookEndpoint.objects.create(
        organization=mp.organization,
        name="hook",
        kind="json",
        url=_hook(listener, "127.0.0.1") + query,
    )
    hook = _send_once(mp)
    assert hook.status == DeliveryStatus.FAILED
    assert listener.seen == []


def test_json_hook_gets_the_apprise_payload_and_an_idempotency_key(listener, mp, manager, settings):
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    WebhookEndpoint.objects.create(
        organization=mp.organization, name="hook", kind="json", url=_hook(listener, "127.0.0.1")
    )
    hook = _send_once(mp)
    assert hook.status == DeliveryStatus.SENT
    [seen] = listener.seen
    assert (seen.method, seen.path) == ("POST", "/hook")
    assert seen.headers["Idempotency-Key"] == f"icpfiling-delivery-{hook.pk}"
    assert set(seen.json()) == {"version", "title", "message", "attachments", "type"}
    assert "测试小程序" in seen.json()["title"] + seen.json()["message"]


def test_wecom_bot_over_tls_with_its_certificate(tmp_path, mp, manager, settings, hosts_file):
    # given: a TLS listener on a loopback address, with a certificate for the vendor's name
    address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
    cert, key = self_signed("qyapi.weixin.qq.com", tmp_path)
    hosts_file.table["qyapi.weixin.qq.com"] = [address]
    settings.EGRESS_ALLOW_NETWORKS = [f"{address}/32"]
    settings.EGRESS_CA_BUNDLE = str(cert)
    WebhookEndpoint.objects.create(
        organization=mp.organization, name="群", kind="wecom", url="wecombot://BOTKEY123"
    )
    with Listener(tls=tls_context(cert, key), address=address, port=443) as bot:
        bot.answer = Answer(body=b'{"errcode": 0, "errmsg": "ok"}')

        # when
        hook = _send_once(mp)

    # then
    assert hook.status == DeliveryStatus.SENT
    [seen] = bot.seen
    assert seen.path == "/cgi-bin/webhook/send?key=BOTKEY123"
    assert seen.headers["Host"] == "qyapi.weixin.qq.com"
    assert seen.headers["Idempotency-Key"] == f"icpfiling-delivery-{hook.pk}"
    assert seen.json()["msgtype"] == "text"
    assert "测试小程序" in seen.json()["text"]["content"]


def test_a_vendor_refusal_in_the_json_answer_is_a_failure(
    tmp_path, mp, manager, settings, hosts_file
):
    address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
    cert, key = self_signed("oapi.dingtalk.com", tmp_path)
    hosts_file.table["oapi.dingtalk.com"] = [address]
    settings.EGRESS_ALLOW_NETWORKS = [f"{address}/32"]
    settings.EGRESS_CA_BUNDLE = str(cert)
    WebhookEndpoint.objects.create(
        organization=mp.organization, name="钉钉", kind="dingtalk", url="dingtalk://SEC@TOKEN123/"
    )
    with Listener(tls=tls_context(cert, key), address=address, port=443) as bot:
        bot.answer = Answer(body=b'{"errcode": 310000, "errmsg": "sign not match"}')
        hook = _send_once(mp)
    assert hook.status == DeliveryStatus.PENDING  # retried later
    assert "errcode=310000 sign not match" in hook.last_error
    [seen] = bot.seen
    assert seen.path.startswith("/robot/send?access_token=TOKEN123&timestamp=")
    assert "&sign=" in seen.path


# --- slow receivers ---------------------------------------------------------------------------


def test_a_slow_receiver_is_retried_with_backoff_and_managers_told_once(
    listener, mp, manager, settings
):
    # given: a receiver slower than the read timeout, 3 attempts in all
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    settings.NOTIFICATIONS_WEBHOOK_JSON_TIMEOUT = 0.3
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    listener.answer = Answer(delay=1.0)
    # a manager limited to other clients may not see this operator: not told
    limited = MembershipFactory(
        organization=mp.organization, role="manager", limited_to_assigned=True
    ).user
    for name in ("slow", "slower"):
        WebhookEndpoint.objects.create(
            organization=mp.organization, name=name, kind="json", url=_hook(listener, "127.0.0.1")
        )
    now = end_of(D(2024, 3, 25))

    # when: the sweep's attempt, then every retry (and one more, which finds nothing to do)
    report = services.sweep_run_inline(as_of=D(2024, 3, 25), now=now)
    hooks = list(Delivery.objects.filter(channel=Channel.WEBHOOK).order_by("pk"))
    results = [[services.delivery_send(delivery_id=h.pk, now=now) for _ in range(3)] for h in hooks]

    # then: 3 requests per webhook, each retry carrying the same key; backoff 60 s, 120 s
    assert [report.deliveries[h.pk].retry_in for h in hooks] == [60, 60]
    assert [[(r.status, r.retry_in) for r in rs] for rs in results] == [
        [("retry", 120), ("failed", None), ("skipped", None)]
    ] * 2
    keys = sorted(s.headers["Idempotency-Key"] for s in listener.seen)
    assert keys == sorted([f"icpfiling-delivery-{h.pk}" for h in hooks] * 3)
    for h in hooks:
        h.refresh_from_db()
        assert (h.status, h.attempts) == (DeliveryStatus.FAILED, 3)
        assert "did not arrive in time" in h.last_error
    # and the managers got one notice for this reminder, not one per webhook or attempt
    notices = Notification.objects.filter(
        user=manager, delivery__recipient_key__startswith="failed:"
    )
    assert notices.count() == 1
    assert "did not receive a reminder" in notices.get().title
    assert not Notification.objects.filter(user=limited).exists()

    # when: the manager acknowledges the notice
    services.notification_acknowledge(user=manager, notification=notices.get())

    # then: it is about the reminder, not the reminder itself: its escalation still comes
    reminder = hooks[0].reminder
    reminder.refresh_from_db()
    assert reminder.acknowledged_at is None
