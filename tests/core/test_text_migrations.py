"""Stored dirty text: the data migrations clean it, and a reminder about it goes out either
way (after the migration with the clean name; before it, through the subject sanitiser)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.core import mail

from accounts.models import Organization
from compliance.models import ComplianceItem
from filings.models import FilingComment
from miniprograms.models import MiniProgram, Operator
from notifications import services
from notifications.models import Delivery, DeliveryStatus, Reminder
from tests.compliance.worklist_helpers import open_item
from tests.factories import (
    FilingCommentFactory,
    FilingFactory,
    MiniProgramFactory,
    PersonFactory,
    ReminderFactory,
)

pytestmark = pytest.mark.django_db

DIRTY_NAME = "测试\r\n小程序\u202e"
REMINDER_DAY = datetime.date(2024, 3, 25)  # 6 days before the 2024-03-31 deadline


def _migration(app: str, name: str):
    return importlib.import_module(f"{app}.migrations.{name}")


@pytest.fixture
def mp(operator):
    # Live since 2022 without a filing: the existing-filing deadline (2024-03-31) applies.
    return MiniProgramFactory(
        operator=operator, name="测试小程序", launch_date=datetime.date(2022, 6, 1)
    )


def test_register_migration_cleans_stored_names(mp, operator):
    # given: rows written past the services (QuerySet.update), as before text was cleaned
    MiniProgram.objects.filter(pk=mp.pk).update(name=DIRTY_NAME)
    Operator.objects.filter(pk=operator.pk).update(name_en="Acme\u200b\tLtd ", address="A\x07B")
    clean = MiniProgramFactory(operator=operator, name="干净的名字")

    # when
    changed = _migration("miniprograms", "0010_clean_stored_text").clean_stored_text(apps)

    # then: two rows changed, the clean one untouched
    assert changed == 2
    mp.refresh_from_db()
    operator.refresh_from_db()
    assert mp.name == "测试 小程序"
    assert (operator.name_en, operator.address) == ("Acme Ltd", "A B")
    assert MiniProgram.objects.get(pk=clean.pk).name == "干净的名字"


def test_filings_and_compliance_migrations_keep_line_breaks_in_multi_line_text(operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    comment = FilingCommentFactory(filing=filing)
    FilingComment.objects.filter(pk=comment.pk).update(body="第一行\r\n第二\u200b行\x1b")
    item = open_item(operator)
    ComplianceItem.objects.filter(pk=item.pk).update(snooze_reason="等\r\n待\u202e")

    assert _migration("filings", "0010_clean_stored_text").clean_stored_text(apps) == 1
    assert _migration("compliance", "0010_clean_stored_text").clean_stored_text(apps) == 1

    assert FilingComment.objects.get(pk=comment.pk).body == "第一行\n第二行"
    assert ComplianceItem.objects.get(pk=item.pk).snooze_reason == "等 待"


def _sent_subjects() -> list[str]:
    return [str(m.subject) for m in mail.outbox]


def test_reminder_about_a_dirty_row_is_delivered_after_the_migration(mp, manager):
    PersonFactory(operator=mp.operator, email="fuzeren@example.cn")
    MiniProgram.objects.filter(pk=mp.pk).update(name=DIRTY_NAME)
    _migration("miniprograms", "0010_clean_stored_text").clean_stored_text(apps)

    services.sweep_run_inline(as_of=REMINDER_DAY)

    subjects = _sent_subjects()
    assert len(subjects) == 2  # the manager and the responsible person
    # English and Chinese recipients: "测试 小程序: …" and "测试 小程序：…"
    assert all(s.startswith("测试 小程序") and s[6] in ":：" for s in subjects), subjects
    assert not Delivery.objects.filter(status=DeliveryStatus.FAILED).exists()


def test_subject_sanitiser_alone_lets_the_reminder_go_out(mp, manager):
    # given: the dirty name is still stored (no migration)
    MiniProgram.objects.filter(pk=mp.pk).update(name=DIRTY_NAME)

    # when
    services.sweep_run_inline(as_of=REMINDER_DAY)

    # then: the e-mail went out with a one-line subject (a newline in a header is refused)
    subjects = _sent_subjects()
    assert len(subjects) == 1
    assert subjects[0].startswith("测试 小程序: ")
    assert "\n" not in subjects[0]
    assert "\u202e" not in subjects[0]
    email = Delivery.objects.get(channel="email")
    assert (email.status, email.last_error) == (DeliveryStatus.SENT, "")


def test_accounts_and_notifications_migrations_clean_names_and_copies(org):
    Organization.objects.filter(pk=org.pk).update(name="我的\u202e代理\n")
    reminder = ReminderFactory()
    Reminder.objects.filter(pk=reminder.pk).update(subject_name=DIRTY_NAME)

    assert _migration("accounts", "0006_clean_stored_text").clean_stored_text(apps) == 1
    assert _migration("notifications", "0008_clean_stored_text").clean_stored_text(apps) == 1

    assert Organization.objects.get(pk=org.pk).name == "我的代理"
    assert Reminder.objects.get(pk=reminder.pk).subject_name == "测试 小程序"
