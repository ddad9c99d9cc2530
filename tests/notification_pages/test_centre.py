"""The notification centre as a list: columns, filters, grouping, bulk acknowledge, badge."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.channels import send_email, send_in_app
from notifications.links import item_url, worklist_url
from notifications.models import Notification, Reminder
from tests.factories import (
    DeliveryFactory,
    DomainFactory,
    OperatorFactory,
    ReminderFactory,
    make_notification,
)

pytestmark = pytest.mark.django_db
INBOX = "notification_pages:inbox"
BULK = "notification_pages:acknowledge_bulk"
FOOTER = "You receive this because"
ACK_LINE = "Acknowledge it in the app"


def _states(*notifications):
    return [
        Notification.objects.values_list("read_at", "acknowledged_at").get(pk=n.pk)
        for n in notifications
    ]


def test_rows_show_title_client_due_date_and_a_link_to_the_item(client, manager, operator):
    domain = DomainFactory(operator=operator, name="linked.cn")
    n = make_notification(manager, operator, title="域名即将到期")
    Reminder.objects.filter(pk=n.reminder_id).update(subject_id=domain.pk)
    person = make_notification(manager, operator, title="身份证到期", n=1)
    Reminder.objects.filter(pk=person.reminder_id).update(subject_type="person")
    client.force_login(manager)

    html = client.get(reverse(INBOX)).content.decode()

    assert "域名即将到期" in html
    assert operator.name_zh in html
    assert n.reminder.due_date.isoformat() in html
    assert f'href="{reverse("dashboard:domain_detail", args=[domain.pk])}"' in html
    assert f'href="/work/?operator={operator.pk}"' in html  # no page of its own
    assert 'data-testid="acknowledge-help"' in html
    assert "Mark as read" not in html  # one action only


def test_links_helper():
    assert worklist_url(operator=7) == "/work/?operator=7"
    assert worklist_url() == "/work/"
    r = Reminder(subject_type="licence", subject_id=3, operator_id=9)
    assert item_url(r) == "/work/?operator=9"
    r = Reminder(subject_type="filing", subject_id=3, operator_id=9)
    assert item_url(r) == reverse("dashboard:filing_detail", args=[3])


def test_bulk_acknowledge_with_htmx_updates_rows_and_badge(client, manager, operator):
    a = make_notification(manager, operator, title="A")
    b = make_notification(manager, operator, title="B", n=1)
    c = make_notification(manager, operator, title="C", n=2)
    client.force_login(manager)

    resp = client.post(
        reverse(BULK),
        {"notification": [a.pk, b.pk], "state": "unread"},
        HTTP_HX_REQUEST="true",
    )

    html = resp.content.decode()
    assert resp.status_code == 200
    assert '<span id="unread-badge"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'data-count="1"' in html
    assert f'id="notification-{c.pk}"' in html  # the unread list, re-rendered
    assert f'id="notification-{a.pk}"' not in html
    assert "2 notifications acknowledged." in html
    (ra, aa), (rb, ab), (rc, ac) = _states(a, b, c)
    assert aa
    assert ab
    assert ra
    assert rb
    assert (rc, ac) == (None, None)
    assert (
        Reminder.objects.filter(pk__in=[a.reminder_id, b.reminder_id], acknowledged_at=None).count()
        == 0
    )


def test_bulk_with_someone_elses_id_is_404_and_nothing_changes(client, manager, editor, operator):
    mine = make_notification(manager, operator)
    theirs = make_notification(editor, operator, n=1)
    client.force_login(manager)

    resp = client.post(reverse(BULK), {"notification": [mine.pk, theirs.pk]})

    assert resp.status_code == 404
    assert _states(mine, theirs) == [(None, None), (None, None)]
    assert not Reminder.objects.filter(acknowledged_at__isnull=False).exists()


def test_bulk_with_a_missing_or_bad_id(client, manager, operator):
    mine = make_notification(manager, operator)
    client.force_login(manager)

    assert client.post(reverse(BULK), {"notification": [mine.pk, 999999]}).status_code == 404
    assert client.post(reverse(BULK), {"notification": ["x"]}).status_code == 400
    assert _states(mine) == [(None, None)]


def test_bulk_without_selection_changes_nothing(client, manager, operator):
    mine = make_notification(manager, operator)
    client.force_login(manager)

    resp = client.post(reverse(BULK), {"state": "unread"}, HTTP_HX_REQUEST="true")

    assert "Select the notifications to acknowledge first." in resp.content.decode()
    assert _states(mine) == [(None, None)]


def test_bulk_without_htmx_returns_to_the_same_list(client, manager, operator):
    mine = make_notification(manager, operator)
    client.force_login(manager)

    resp = client.post(
        reverse(BULK),
        {"notification": [mine.pk], "state": "all", "operator": operator.pk, "group": "client"},
    )

    assert resp.status_code == 302
    assert resp["Location"] == (reverse(INBOX) + f"?state=all&operator={operator.pk}&group=client")
    assert _states(mine)[0][1] is not None


def test_filter_by_client_and_group_by_client(client, manager, org, operator, other_operator):
    second = OperatorFactory(organization=org, name_zh="阿尔法科技有限公司")
    n1 = make_notification(manager, operator, title="第一")
    n2 = make_notification(manager, second, title="第二", n=1)
    client.force_login(manager)

    html = client.get(reverse(INBOX) + f"?operator={second.pk}").content.decode()
    assert f'id="notification-{n2.pk}"' in html
    assert f'id="notification-{n1.pk}"' not in html

    n3 = make_notification(manager, operator, title="第三", n=2)
    html = client.get(reverse(INBOX) + "?group=client").content.decode()
    assert html.count('data-testid="group-row"') == 2
    # newest first would interleave n3, n2, n1; grouped, the client's two rows are together
    at = {n.pk: html.index(f'id="notification-{n.pk}"') for n in (n1, n2, n3)}
    assert not (min(at[n1.pk], at[n3.pk]) < at[n2.pk] < max(at[n1.pk], at[n3.pk]))

    # another tenant's client is refused like a missing one: an error, no rows
    resp = client.get(reverse(INBOX) + f"?operator={other_operator.pk}")
    assert resp.context["filter_errors"]
    assert list(resp.context["page_obj"]) == []


def test_header_badge_counts_unread(client, manager, operator):
    make_notification(manager, operator)
    make_notification(manager, operator, n=1)
    client.force_login(manager)

    html = client.get(reverse("dashboard:overview")).content.decode()

    assert 'id="unread-badge"' in html
    assert 'data-count="2"' in html


def test_pagination_keeps_the_filters(client, manager, operator):
    for i in range(27):
        make_notification(manager, operator, n=i)
    client.force_login(manager)

    html = client.get(reverse(INBOX) + f"?operator={operator.pk}").content.decode()

    assert f"?state=unread&amp;operator={operator.pk}&amp;page=2" in html


def test_in_app_text_has_no_email_footer(manager, operator):
    reminder = ReminderFactory(
        domain=DomainFactory(operator=operator), kind="escalation", step="escalation"
    )
    in_app = DeliveryFactory(reminder=reminder, user=manager, channel="in_app")
    email = DeliveryFactory(
        reminder=reminder, user=manager, channel="email", address="a@example.com",
        recipient_key="email:a",
    )  # fmt: skip
    today = timezone.localdate()

    send_in_app(in_app, today=today)
    send_email(email, today=today)

    body = Notification.objects.get(delivery=in_app).body
    assert FOOTER not in body
    assert ACK_LINE not in body
    assert reminder.subject_name in body
    assert FOOTER in mail.outbox[0].body
    assert ACK_LINE in mail.outbox[0].body


def test_centre_never_shows_the_footer_of_older_rows(client, manager, operator):
    n = make_notification(manager, operator)
    Notification.objects.filter(pk=n.pk).update(body=f"text\n{FOOTER} you manage it.")
    Reminder.objects.filter(pk=n.reminder_id).update(message="Renew example.cn.")
    client.force_login(manager)

    html = client.get(reverse(INBOX)).content.decode()

    assert FOOTER not in html
    assert "Renew example.cn." in html
