"""Plan -> dispatch -> send -> deliver, called directly (no broker), with the real engine."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from accounts.models import Role
from compliance.models import ComplianceRule
from notifications import services
from notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderLadder,
    ReminderStatus,
    WebhookEndpoint,
)
from notifications.services import InlineEnqueue
from tests.compliance.helpers import approve, at_beijing
from tests.factories import MembershipFactory, MiniProgramFactory, PersonFactory

from .conftest import DEADLINE, RULE, end_of, make_item

pytestmark = pytest.mark.django_db
D = datetime.date


def _open(mp) -> list[Reminder]:
    return list(Reminder.objects.filter(subject_id=mp.pk).order_by("id"))


def test_plan_twice_creates_rows_once(mp):
    # given / when
    first = services.sweep_plan(as_of=D(2024, 3, 25), now=end_of(D(2024, 3, 25)))
    second = services.sweep_plan(as_of=D(2024, 3, 25), now=end_of(D(2024, 3, 25)))

    # then
    assert (first.created, second.created) == (1, 0)
    rows = _open(mp)
    assert [(r.rule, r.step, r.due_date, r.status) for r in rows] == [
        (RULE, "before:7", DEADLINE, ReminderStatus.PENDING)
    ]


def test_plan_catches_up_a_missed_step_by_range(mp):
    # given: the 14-day step was planned; the run on the 7-day date (03-24) was missed
    services.sweep_plan(as_of=D(2024, 3, 17), now=end_of(D(2024, 3, 17)))

    # when: the next run is a day late
    services.sweep_plan(as_of=D(2024, 3, 25), now=end_of(D(2024, 3, 25)))

    # then: the 7-day step exists; the unsent 14-day step is superseded, not sent as a burst
    assert [(r.step, r.status, r.cancel_reason) for r in _open(mp)] == [
        ("before:14", ReminderStatus.CANCELLED, "superseded"),
        ("before:7", ReminderStatus.PENDING, ""),
    ]


def test_sweep_three_times_sends_each_reminder_once(mp, manager, editor):
    # given
    PersonFactory(operator=mp.operator, email="fuzeren@example.cn")
    day = D(2024, 3, 25)

    # when
    reports = [services.sweep_run_inline(as_of=day) for _ in range(3)]

    # then
    assert [sum(1 for s in r.sends.values() if s == "sent") for r in reports] == [1, 0, 0]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [manager.email, editor.email, "fuzeren@example.cn"]
    )
    assert Notification.objects.filter(user__in=[manager, editor]).count() == 2
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 5


def test_send_twice_sends_once(mp, manager):
    # given: a claimed reminder
    now = end_of(D(2024, 3, 25))
    services.sweep_plan(as_of=D(2024, 3, 25), now=now)
    queue = InlineEnqueue()
    services.reminder_dispatch(enqueue=queue, now=now)
    (rid,) = queue.reminder_ids

    # when: the send task and its deliveries run twice (a redelivered message)
    outcomes = [services.reminder_send(reminder_id=rid, enqueue=queue, now=now) for _ in "12"]
    results = [services.delivery_send(delivery_id=d, now=now).status for d in queue.delivery_ids]
    again = [services.delivery_send(delivery_id=d, now=now).status for d in queue.delivery_ids]

    # then
    assert outcomes == ["sent", "skipped"]
    assert results == ["sent", "sent"]
    assert again == ["skipped", "skipped"]
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=manager).count() == 1


def test_filing_approved_cancels_pending_reminders(mp, manager):
    # given: a reminder planned on 03-25; the checks an approval starts (About screen, MIIT
    # record: tests/monitoring/verify) are off here, this is about the deadline's reminder
    ComplianceRule.objects.filter(code__in=["about_screen_check", "miit_record_check"]).update(
        active=False
    )
    services.sweep_plan(as_of=D(2024, 3, 25), now=end_of(D(2024, 3, 25)))

    # when: the filing is approved, and the next sweep runs
    approve(miniprogram=mp, on=at_beijing(D(2024, 3, 26)))
    report = services.sweep_run_inline(as_of=D(2024, 3, 27))

    # then
    assert [(r.status, r.cancel_reason) for r in _open(mp)] == [
        (ReminderStatus.CANCELLED, "resolved")
    ]
    assert report.sends == {}
    assert mail.outbox == []


def test_send_rechecks_and_cancels_a_queued_reminder_that_became_compliant(mp, manager):
    # given: a reminder already claimed (its task is on the broker)
    now = end_of(D(2024, 3, 27))
    services.sweep_plan(as_of=D(2024, 3, 25), now=end_of(D(2024, 3, 25)))
    queue = InlineEnqueue()
    services.reminder_dispatch(enqueue=queue, now=now)

    # when: approved before the send task runs
    approve(miniprogram=mp, on=at_beijing(D(2024, 3, 26)))
    outcome = services.reminder_send(reminder_id=queue.reminder_ids[0], enqueue=queue, now=now)

    # then
    assert outcome == "cancelled"
    assert Delivery.objects.count() == 0
    assert mail.outbox == []


def test_failing_channel_backs_off_then_fails_without_blocking_others(mp, manager, settings):
    # given: an organization webhook nobody listens to (on loopback, allowed for this test)
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATIONS_LEASE_SECONDS = 900
    WebhookEndpoint.objects.create(
        organization=mp.organization, name="dead", kind="json", url="json://127.0.0.1:9/"
    )
    now = end_of(D(2024, 3, 25))

    # when
    report = services.sweep_run_inline(as_of=D(2024, 3, 25), now=now)
    hook = Delivery.objects.get(channel=Channel.WEBHOOK)
    second = services.delivery_send(delivery_id=hook.pk, now=now)
    third = services.delivery_send(delivery_id=hook.pk, now=now)

    # then: e-mail and in-app went out at once; the webhook retried 60 s, 120 s, then failed
    statuses = {d.channel: d.status for d in Delivery.objects.exclude(channel=Channel.WEBHOOK)}
    assert statuses == {Channel.EMAIL: DeliveryStatus.SENT, Channel.IN_APP: DeliveryStatus.SENT}
    assert (report.deliveries[hook.pk].status, report.deliveries[hook.pk].retry_in) == (
        "retry",
        60,
    )
    assert (second.status, second.retry_in) == ("retry", 120)
    assert third.status == "failed"
    hook.refresh_from_db()
    assert (hook.status, hook.attempts) == (DeliveryStatus.FAILED, 3)
    assert hook.last_error.startswith("webhook:")


def test_dispatch_reclaims_a_stale_queued_reminder(mp, manager, settings):
    # given: claimed, but its message was lost (broker restarted empty)
    settings.NOTIFICATIONS_LEASE_SECONDS = 600
    now = end_of(D(2024, 3, 25))
    services.sweep_plan(as_of=D(2024, 3, 25), now=now)
    first, soon, later = InlineEnqueue(), InlineEnqueue(), InlineEnqueue()
    services.reminder_dispatch(enqueue=first, now=now)

    # when
    services.reminder_dispatch(enqueue=soon, now=now + datetime.timedelta(seconds=599))
    services.reminder_dispatch(enqueue=later, now=now + datetime.timedelta(seconds=601))

    # then
    assert (len(first.reminder_ids), soon.reminder_ids, later.reminder_ids) == (
        1,
        [],
        first.reminder_ids,
    )


def test_members_are_reminded_by_role_and_assignment(mp, manager, editor, viewer, client_user):
    # given: a limited editor assigned to another operator, and persons of the operator
    from tests.factories import MiniProgramFactory, OperatorFactory

    elsewhere = OperatorFactory(organization=mp.organization)
    limited = MembershipFactory(organization=mp.organization, role=Role.EDITOR)
    limited.limited_to_assigned = True
    limited.save()
    limited.operators.set([elsewhere])
    entity = PersonFactory(operator=mp.operator, email="entity@example.cn")
    own = PersonFactory(
        operator=mp.operator, email="own@example.cn", role="service", miniprogram=mp
    )
    other_mp = MiniProgramFactory(operator=mp.operator)
    PersonFactory(
        operator=mp.operator, email="other@example.cn", role="service", miniprogram=other_mp
    )

    # when
    services.sweep_run_inline(as_of=D(2024, 3, 25))

    # then: manager, editor, client (assigned) and the two relevant persons; not the viewer
    keys = set(
        Delivery.objects.filter(reminder__subject_id=mp.pk).values_list("recipient_key", "channel")
    )
    assert keys == {
        (f"user:{manager.pk}", "in_app"),
        (f"user:{manager.pk}", "email"),
        (f"user:{editor.pk}", "in_app"),
        (f"user:{editor.pk}", "email"),
        (f"user:{client_user.pk}", "in_app"),
        (f"user:{client_user.pk}", "email"),
        (f"person:{entity.pk}", "email"),
        (f"person:{own.pk}", "email"),
    }


def test_email_is_in_the_recipients_language(mp, manager, editor):
    # given
    editor.language = "zh-hans"
    editor.save()

    # when
    services.sweep_run_inline(as_of=D(2024, 3, 25))

    # then
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "due in 6 days" in by_to[manager.email].subject
    assert "6 天后到期" in by_to[editor.email].subject
    zh = by_to[editor.email]
    assert isinstance(zh, EmailMultiAlternatives)
    html, mimetype = zh.alternatives[0]
    assert mimetype == "text/html"
    assert "截止日期" in zh.body
    assert isinstance(html, str)
    assert "截止日期" in html
    assert zh.extra_headers["Message-ID"].startswith("<reminder-delivery-")


def test_digest_users_get_one_message_a_day(manager, operator):
    # given: two due mini-programs and a manager who prefers the digest
    from tests.factories import MiniProgramFactory

    for _ in range(2):
        MiniProgramFactory(operator=operator, launch_date=D(2022, 6, 1))
    services.preference_update(user=manager, mode="digest")
    services.sweep_run_inline(as_of=D(2024, 3, 25))
    assert mail.outbox == []  # held, not a burst
    assert Notification.objects.filter(user=manager).count() == 2  # in-app is immediate

    # when
    assert services.digest_user_ids() == [manager.pk]
    first = services.digest_send(user_id=manager.pk, day=D(2024, 3, 25))
    again = services.digest_send(user_id=manager.pk, day=D(2024, 3, 25))

    # then
    assert (first, again) == ("sent", "skipped")
    assert len(mail.outbox) == 1
    assert "2 deadlines need attention" in mail.outbox[0].subject
    assert (
        mail.outbox[0].body.count("Existing service filed by 2024-03-31") == 2
    )  # the rule by name, not code
    assert services.digest_user_ids() == []


def test_overdue_escalates_to_managers_only(mp, manager, editor):
    # when: first sweep after the deadline
    services.sweep_run_inline(as_of=D(2024, 4, 2))

    # then
    rows = {r.step: r for r in _open(mp)}
    assert set(rows) == {"before:0", "escalation"}
    escalated = Delivery.objects.filter(reminder=rows["escalation"])
    assert {d.recipient_key for d in escalated} == {f"user:{manager.pk}"}
    assert any(
        m.subject.startswith("[Escalation]") and m.to == [manager.email] for m in mail.outbox
    )


def test_unacknowledged_reminder_escalates_after_n_days(mp, manager, editor):
    # given: overdue escalation off; unacknowledged after 2 days
    ReminderLadder.objects.create(
        organization=mp.organization,
        escalate_when_overdue=False,
        escalate_unacknowledged_after_days=2,
    )
    services.sweep_run_inline(as_of=D(2024, 3, 25))

    # when
    services.sweep_run_inline(as_of=D(2024, 3, 26))
    before = [r.step for r in _open(mp)]
    services.sweep_run_inline(as_of=D(2024, 3, 28))

    # then
    assert before == ["before:7"]
    assert [r.step for r in _open(mp)] == ["before:7", "before:3", "escalation"]


def test_acknowledged_reminder_does_not_escalate(mp, manager, api):
    # given
    ReminderLadder.objects.create(
        organization=mp.organization,
        escalate_when_overdue=False,
        escalate_unacknowledged_after_days=2,
    )
    services.sweep_run_inline(as_of=D(2024, 3, 25))
    n = Notification.objects.get(user=manager)

    # when
    assert api(manager).post(f"/api/v1/notifications/{n.pk}/acknowledge/").status_code == 200
    services.sweep_run_inline(as_of=D(2024, 3, 28))

    # then
    assert [r.step for r in _open(mp)] == ["before:7", "before:3"]


def test_ladder_configured_per_organization_and_rule(mp, manager):
    # given: this organization wants only 10 and 2 days before for this rule
    ReminderLadder.objects.create(organization=mp.organization, rule=RULE, offsets=[10, 2])
    ReminderLadder.objects.create(organization=None, rule=RULE, offsets=[5])

    # when
    services.sweep_plan(as_of=D(2024, 3, 25), now=end_of(D(2024, 3, 25)))

    # then
    assert [r.step for r in _open(mp)] == ["before:10"]


def test_planner_takes_items_directly(org, operator):
    # given: items built by hand (no engine)
    items = [
        make_item(subject_id=7, operator_id=operator.pk, organization_id=org.pk),
        make_item(
            subject_id=8, operator_id=operator.pk, organization_id=org.pk, status="compliant"
        ),
        make_item(subject_id=9, operator_id=operator.pk, organization_id=org.pk, due_date=None),
    ]

    # when
    result = services.reminder_plan(items=items, as_of=D(2024, 3, 30))

    # then
    assert [(r.subject_id, r.step) for r in result.wanted] == [(7, "before:1")]
    assert Reminder.objects.get().due_at == end_of(D(2024, 3, 30)).replace(hour=9, minute=0)


def test_command_dry_run_writes_nothing_and_run_sends(mp, manager, capsys):
    from django.core.management import call_command

    call_command("run_compliance_sweep", "--as-of", "2024-03-25", "--dry-run")
    out = capsys.readouterr().out
    assert Reminder.objects.count() == 0
    assert "before:7" in out
    assert f"user:{manager.pk}" in out

    call_command("run_compliance_sweep", "--as-of", "2024-03-25")
    call_command("run_compliance_sweep", "--as-of", "2024-03-25")
    out = capsys.readouterr().out
    assert "sent 1" in out
    assert "sent 0" in out
    assert len(mail.outbox) == 1


def test_member_removed_after_send_is_not_told(mp, manager, editor):
    # given: deliveries written, not yet delivered
    now = end_of(D(2024, 3, 25))
    services.sweep_plan(as_of=D(2024, 3, 25), now=now)
    queue = InlineEnqueue()
    services.reminder_dispatch(enqueue=queue, now=now)
    services.reminder_send(reminder_id=queue.reminder_ids[0], enqueue=queue, now=now)

    # when: the editor leaves the organization
    editor.memberships.all().delete()
    results = {
        d.recipient_key + "/" + d.channel: services.delivery_send(delivery_id=d.pk, now=now).status
        for d in Delivery.objects.order_by("id")
    }

    # then
    assert results == {
        f"user:{manager.pk}/in_app": "sent",
        f"user:{manager.pk}/email": "sent",
        f"user:{editor.pk}/in_app": "cancelled",
        f"user:{editor.pk}/email": "cancelled",
    }
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_admin_never_shows_the_webhook_secret(org, superuser, client):
    endpoint = WebhookEndpoint.objects.create(
        organization=org, name="bot", kind="wecom", url="wecombot://TOPSECRETKEY0123456789"
    )
    client.force_login(superuser)
    pages = [
        client.get("/admin/notifications/webhookendpoint/"),
        client.get(f"/admin/notifications/webhookendpoint/{endpoint.pk}/change/"),
    ]
    assert [p.status_code for p in pages] == [200, 200]
    assert all("TOPSECRETKEY" not in p.content.decode() for p in pages)
    assert "wecombot://T...9" in pages[0].content.decode()


def test_resync_cancels_one_operators_reminders_at_once(mp, manager, other_operator):
    # given: reminders for two operators
    other = MiniProgramFactory(operator=other_operator, launch_date=D(2022, 6, 1))
    services.sweep_plan(as_of=D(2024, 3, 25), now=end_of(D(2024, 3, 25)))

    # when: mp's filing is approved and its operator re-synced
    approve(miniprogram=mp, on=at_beijing(D(2024, 3, 26)))
    result = services.reminder_resync(operator_id=mp.operator_id, as_of=D(2024, 3, 26))

    # then: only that operator's reminder is cancelled
    assert result.cancelled == 1
    statuses = dict(Reminder.objects.values_list("subject_id", "status"))
    assert statuses == {mp.pk: ReminderStatus.CANCELLED, other.pk: ReminderStatus.PENDING}


def test_command_dry_run_prints_at_most_show_reminders_and_counts_all(manager, capsys):
    from django.core.management import call_command

    for n in range(3):
        MiniProgramFactory(
            operator__organization=manager.memberships.get().organization,
            name=f"老商城{n}",
            launch_date=D(2022, 6, 1),
        )
    call_command("run_compliance_sweep", "--as-of", "2024-03-25", "--dry-run", "--show", "1")
    out = capsys.readouterr().out
    assert Reminder.objects.count() == 0
    assert out.count("老商城") == 1  # one reminder in full
    assert "… 2 more (--show 0 prints all)" in out
    assert "3 current step(s)" in out
    assert "by kind of step: before 3" in out

    call_command("run_compliance_sweep", "--as-of", "2024-03-25", "--dry-run", "--show", "0")
    assert capsys.readouterr().out.count("老商城") == 3
