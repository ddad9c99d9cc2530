"""Provider notice services: recording, resolving (the fix is required), withdrawing, keeping
access, the missed-deadline sweep, and the items the evaluator produces."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.engine import compliance_items
from compliance.rules import RuleCode as R
from core.exceptions import PermissionDeniedError
from filings.models import FilingKind
from miniprograms.models import Domain, RecordState, RecordStateChange
from monitoring.models import NoticeState, ProviderNotice
from monitoring.notices.services import (
    NoticeStateError,
    expire_missed_notices,
    notice_keep_access,
    notice_record,
    notice_resolve,
    notice_withdraw,
)
from tests.factories import DomainFactory, FilingFactory, MiniProgramFactory

from .factories import BEIJING, RECEIVED, ProviderNoticeFactory

pytestmark = pytest.mark.django_db
D = datetime.date
EML = b"Received: from mx.example.test\r\nFrom: beian@aliyun.test\r\n\r\nbody"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def _domain(operator):
    return DomainFactory(
        operator=operator,
        icp_number="粤ICP备2024000001号-1",
        record_state=RecordState.FILED,
        live_since=D(2025, 1, 1),
    )


def _record(user, service, **kw):
    args = {
        "provider": "alibaba",
        "received_at": RECEIVED,
        "deadline_at": RECEIVED + datetime.timedelta(hours=24),
        "fields_to_fix": ["网站负责人手机号", " 网站负责人手机号 ", "主体地址"],
        **kw,
    }
    return notice_record(user=user, service=service, **args)


def test_record_keeps_the_notice_with_email_evidence(editor, operator):
    domain = _domain(operator)
    eml = SimpleUploadedFile("通知邮件.eml", EML, content_type="message/rfc822")
    notice = _record(editor, domain, evidence=eml, note="阿里云核查")
    assert notice.fields_to_fix == ["网站负责人手机号", "主体地址"]
    assert (notice.organization_id, notice.operator_id, notice.domain_id) == (
        operator.organization_id,
        operator.pk,
        domain.pk,
    )
    assert (notice.state, notice.created_by, notice.evidence_type) == (
        "open",
        editor,
        "message/rfc822",
    )
    assert notice.evidence.name.startswith(f"notices/{operator.organization_id}/")


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        pytest.param({"deadline_at": RECEIVED}, "deadline_at", id="deadline_not_after_case"),
        pytest.param({"provider": "aws"}, "provider", id="unknown_provider_case"),
        pytest.param({"provider": "other"}, "provider_name", id="other_unnamed_case"),
        pytest.param(
            {"deadline_at": datetime.datetime(2026, 3, 11, 9, 0)},  # noqa: DTZ001 - refused
            "deadline_at",
            id="naive_case",
        ),
        pytest.param(
            {"evidence": SimpleUploadedFile("x.eml", b"<html>", content_type="text/html")},
            "evidence",
            id="fake_email_case",
        ),
    ],
)
def test_record_refuses_bad_input_and_writes_nothing(kw, field, editor, operator):
    with pytest.raises(ValidationError) as exc:
        _record(editor, _domain(operator), **kw)
    assert field in exc.value.message_dict
    assert not ProviderNotice.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "client_user", "other_manager"])
def test_read_only_and_other_tenants_cannot_record(who, request, operator):
    with pytest.raises(PermissionDeniedError):
        _record(request.getfixturevalue(who), _domain(operator))
    assert not ProviderNotice.objects.exists()


def test_resolve_needs_a_fix_and_changes_nothing_without_one(editor, operator):
    notice = ProviderNoticeFactory(domain=_domain(operator))
    with pytest.raises(ValidationError) as exc:
        notice_resolve(user=editor, notice=notice, note="已修改")  # a note alone is not a fix
    assert "evidence" in exc.value.message_dict
    notice.refresh_from_db()
    assert notice.state == NoticeState.OPEN


def test_resolve_with_evidence_and_note(editor, operator):
    notice = ProviderNoticeFactory(domain=_domain(operator))
    shot = SimpleUploadedFile("截图.png", PNG, content_type="image/png")
    notice_resolve(user=editor, notice=notice, note="已更新手机号", evidence=shot)
    notice.refresh_from_db()
    assert (notice.state, notice.state_changed_by, notice.resolution_note) == (
        "fixed",
        editor,
        "已更新手机号",
    )
    assert notice.fix_evidence_type == "image/png"
    with pytest.raises(NoticeStateError):
        notice_resolve(user=editor, notice=notice, note="again", evidence=shot)


def test_resolve_with_a_change_filing_of_the_same_service_only(editor, operator):
    domain = _domain(operator)
    notice = ProviderNoticeFactory(domain=domain)
    other = FilingFactory(
        miniprogram=None, domain=_domain(operator), operator=operator, kind=FilingKind.CHANGE
    )
    new_filing = FilingFactory(
        miniprogram=None, domain=domain, operator=operator, kind=FilingKind.NEW_FILING
    )
    for wrong in (other, new_filing):
        with pytest.raises(ValidationError):
            notice_resolve(user=editor, notice=notice, fix_filing=wrong)
    notice.refresh_from_db()
    assert notice.state == "open"
    change = FilingFactory(
        miniprogram=None, domain=domain, operator=operator, kind=FilingKind.CHANGE
    )
    notice_resolve(user=editor, notice=notice, fix_filing=change)
    notice.refresh_from_db()
    assert (notice.state, notice.fix_filing_id) == ("fixed", change.pk)


def test_viewer_cannot_resolve_or_withdraw(viewer, operator):
    notice = ProviderNoticeFactory(domain=_domain(operator))
    shot = SimpleUploadedFile("s.png", PNG, content_type="image/png")
    with pytest.raises(PermissionDeniedError):
        notice_resolve(user=viewer, notice=notice, note="x", evidence=shot)
    with pytest.raises(PermissionDeniedError):
        notice_withdraw(user=viewer, notice=notice, note="x")
    notice.refresh_from_db()
    assert (notice.state, notice.fix_evidence.name) == ("open", "")


def test_withdraw_needs_a_note(editor, operator):
    notice = ProviderNoticeFactory(domain=_domain(operator))
    with pytest.raises(ValidationError):
        notice_withdraw(user=editor, notice=notice, note=" ")
    notice_withdraw(user=editor, notice=notice, note="阿里云撤回")
    notice.refresh_from_db()
    assert notice.state == NoticeState.WITHDRAWN


def test_missed_deadline_cancels_access_unless_kept(editor, operator):
    kept_domain, lost_domain = _domain(operator), _domain(operator)
    kept = ProviderNoticeFactory(domain=kept_domain)
    lost = ProviderNoticeFactory(domain=lost_domain)
    future = ProviderNoticeFactory(
        domain=_domain(operator), deadline_at=RECEIVED + datetime.timedelta(days=3)
    )
    notice_keep_access(user=editor, notice=kept, note="客户经理确认保留接入")

    moved = expire_missed_notices(now=RECEIVED + datetime.timedelta(hours=25))

    assert moved == 1
    states = dict(ProviderNotice.objects.values_list("pk", "state"))
    assert states == {kept.pk: "open", lost.pk: "access_cancelled", future.pk: "open"}
    records = dict(Domain.objects.values_list("pk", "record_state"))
    assert (records[kept_domain.pk], records[lost_domain.pk]) == ("filed", "access_cancelled")
    assert RecordStateChange.objects.get().source == "provider_notice"


def test_missed_deadline_of_a_cancelled_service_keeps_its_state(operator):
    domain = _domain(operator)
    Domain.objects.filter(pk=domain.pk).update(record_state=RecordState.CANCELLED)
    notice = ProviderNoticeFactory(domain=domain)
    assert expire_missed_notices(now=RECEIVED + datetime.timedelta(hours=25)) == 1
    domain.refresh_from_db()
    notice.refresh_from_db()
    assert (domain.record_state, notice.state) == ("cancelled", "access_cancelled")
    assert not RecordStateChange.objects.exists()


def test_notice_on_a_miniprogram(editor, operator):
    mp = MiniProgramFactory(operator=operator, icp_number="粤ICP备2024000001号-2X")
    notice = _record(editor, mp)
    assert (notice.miniprogram_id, notice.domain_id) == (mp.pk, None)


# --- items -------------------------------------------------------------------------------


def _item(notice, rule, *, now):
    as_of = now.astimezone(BEIJING).date()
    found = [
        i
        for i in compliance_items(as_of=as_of, rules=[rule], now=now)
        if i.subject_type == "notice" and i.subject_id == notice.pk
    ]
    assert len(found) == 1, found
    return found[0]


def test_notice_item_is_due_at_the_deadline_hour_then_overdue_then_compliant(editor, operator):
    notice = ProviderNoticeFactory(domain=_domain(operator))
    deadline = notice.deadline_at
    before = _item(notice, R.PROVIDER_NOTICE, now=deadline - datetime.timedelta(minutes=1))
    assert (before.status, before.due_at, before.changes_at) == ("due_soon", deadline, deadline)
    after = _item(notice, R.PROVIDER_NOTICE, now=deadline + datetime.timedelta(minutes=1))
    assert after.status == "overdue"
    notice_resolve(
        user=editor,
        notice=notice,
        note="已修改",
        evidence=SimpleUploadedFile("s.png", PNG, content_type="image/png"),
    )
    fixed = _item(notice, R.PROVIDER_NOTICE, now=deadline + datetime.timedelta(minutes=2))
    assert fixed.status == "compliant"


def test_inaccurate_information_is_due_within_10_working_days(operator):
    notice = ProviderNoticeFactory(domain=_domain(operator))  # received Tue 2026-03-10
    item = _item(notice, R.RECORD_INACCURATE, now=RECEIVED + datetime.timedelta(hours=1))
    assert (item.status, item.due_date) == ("due_soon", D(2026, 3, 24))
    late = datetime.datetime(2026, 3, 25, 9, 0, tzinfo=BEIJING)
    assert _item(notice, R.RECORD_INACCURATE, now=late).status == "overdue"
    no_fields = ProviderNoticeFactory(domain=_domain(operator), fields_to_fix=[])
    assert not [
        i
        for i in compliance_items(as_of=D(2026, 3, 11), rules=[R.RECORD_INACCURATE])
        if i.subject_id == no_fields.pk
    ]


def test_ladder_hour_offsets_are_validated_and_sorted(superuser):
    from notifications.models import ReminderLadder
    from notifications.services import ladder_save

    with pytest.raises(ValidationError) as exc:
        ladder_save(user=superuser, ladder=ReminderLadder(), rule="x", hour_offsets=[0, 4])
    assert "hour_offsets" in exc.value.message_dict
    with pytest.raises(ValidationError):
        ladder_save(user=superuser, ladder=ReminderLadder(), rule="x", hour_offsets=[4, 4])
    saved = ladder_save(user=superuser, ladder=ReminderLadder(), rule="x", hour_offsets=[1, 24, 4])
    assert saved.hour_offsets == [24, 4, 1]
    seeded = ReminderLadder.objects.get(organization=None, rule=R.PROVIDER_NOTICE)
    assert (seeded.offsets, seeded.hour_offsets) == ([], [24, 12, 4, 1])
