"""The record after approval: record_state_change (locking, history, refusals, idempotence),
approval sets `filed`, the migration's backfill and shell-route seed, and the compliance rules
that read the record (access cancelled while live, shell entities)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.engine import compliance_items
from compliance.rules import RuleCode as R
from compliance.service_states import with_domain_state, with_miniprogram_state
from core.exceptions import PermissionDeniedError
from filings.models import FilingKind, FilingStatus
from filings.services import filing_transition
from miniprograms.models import (
    Domain,
    MiniProgram,
    Province,
    RecordSource,
    RecordState,
    RecordStateChange,
)
from miniprograms.services.record import RecordMoveRefused, record_state_change
from tests.factories import DomainFactory, FilingFactory, MiniProgramFactory, OperatorFactory

pytestmark = pytest.mark.django_db
D = datetime.date
RS = RecordState
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32
MIGRATION = importlib.import_module("miniprograms.migrations.0012_record_state")


def _filed_domain(operator, **kw):
    fields = {
        "icp_number": "粤ICP备2024000001号-1",
        "record_state": RS.FILED,
        "live_since": D(2024, 1, 1),
        **kw,
    }
    return DomainFactory(operator=operator, **fields)


def test_change_keeps_history_with_source_evidence_and_actor(editor, operator):
    domain = _filed_domain(operator)
    evidence = SimpleUploadedFile("通知.png", PNG, content_type="image/png")

    change = record_state_change(
        service=domain,
        to_state=RS.ACCESS_CANCELLED,
        source=RecordSource.PROVIDER_NOTICE,
        actor=editor,
        effective_on=D(2026, 3, 11),
        note="阿里云取消接入",
        evidence=evidence,
    )

    domain.refresh_from_db()
    assert (domain.record_state, domain.record_state_since) == (RS.ACCESS_CANCELLED, D(2026, 3, 11))
    assert change is not None
    assert (change.from_state, change.to_state, change.source, change.actor) == (
        RS.FILED,
        RS.ACCESS_CANCELLED,
        "provider_notice",
        editor,
    )
    assert (change.organization_id, change.operator_id) == (operator.organization_id, operator.pk)
    assert change.evidence_type == "image/png"
    assert change.evidence.name.startswith(f"records/{operator.organization_id}/{operator.pk}/")
    assert "通知" not in change.evidence.name  # random stored name


def test_same_state_again_changes_nothing(editor, operator):
    domain = _filed_domain(operator)
    assert (
        record_state_change(service=domain, to_state=RS.FILED, source="manual", actor=editor)
        is None
    )
    assert not RecordStateChange.objects.exists()


def test_impossible_move_is_refused_and_writes_nothing(editor, operator):
    domain = _filed_domain(operator, record_state_since=D(2025, 1, 1))
    Domain.objects.filter(pk=domain.pk).update(record_state=RS.CANCELLED)
    with pytest.raises(RecordMoveRefused, match="cannot move"):
        record_state_change(
            service=domain, to_state=RS.ACCESS_CANCELLED, source="manual", actor=editor
        )
    domain.refresh_from_db()
    assert domain.record_state == RS.CANCELLED
    assert not RecordStateChange.objects.exists()


def test_bad_evidence_is_refused_and_writes_nothing(editor, operator):
    domain = _filed_domain(operator)
    fake = SimpleUploadedFile("shot.png", b"<html>not a png</html>", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        record_state_change(
            service=domain, to_state=RS.RESTRICTED, source="manual", actor=editor, evidence=fake
        )
    assert "evidence" in exc.value.message_dict
    domain.refresh_from_db()
    assert domain.record_state == RS.FILED
    assert not RecordStateChange.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "client_user", "other_manager"])
def test_read_only_and_other_tenants_cannot_change_the_record(who, request, operator):
    user = request.getfixturevalue(who)
    domain = _filed_domain(operator)
    with pytest.raises(PermissionDeniedError):
        record_state_change(service=domain, to_state=RS.RESTRICTED, source="manual", actor=user)
    domain.refresh_from_db()
    assert domain.record_state == RS.FILED
    assert not RecordStateChange.objects.exists()


def test_unknown_state_or_source_is_a_validation_error(editor, operator):
    domain = _filed_domain(operator)
    with pytest.raises(ValidationError):
        record_state_change(service=domain, to_state="gone", source="manual", actor=editor)
    with pytest.raises(ValidationError):
        record_state_change(service=domain, to_state=RS.RESTRICTED, source="rumour", actor=editor)
    assert not RecordStateChange.objects.exists()


def test_approving_a_granting_filing_sets_filed_with_history(manager, operator):
    mp = MiniProgramFactory(operator=operator)
    filing = FilingFactory(miniprogram=mp, status=FilingStatus.AUTHORITY_REVIEW)
    filing_transition(
        filing_id=filing.pk,
        to_status=FilingStatus.APPROVED,
        actor=manager,
        icp_number="粤ICP备2024286477号-2X",
    )
    mp.refresh_from_db()
    assert mp.record_state == RS.FILED
    change = RecordStateChange.objects.get(miniprogram=mp)
    assert (change.from_state, change.to_state, change.source) == (RS.NONE, RS.FILED, "filing")


def test_approving_a_change_filing_leaves_the_record_state(manager, operator):
    mp = MiniProgramFactory(operator=operator, icp_number="粤ICP备2024286477号-2X")
    MiniProgram.objects.filter(pk=mp.pk).update(record_state=RS.RESTRICTED)
    filing = FilingFactory(
        miniprogram=mp, kind=FilingKind.CHANGE, status=FilingStatus.AUTHORITY_REVIEW
    )
    filing_transition(
        filing_id=filing.pk,
        to_status=FilingStatus.APPROVED,
        actor=manager,
        icp_number="粤ICP备2024286477号-2X",
    )
    mp.refresh_from_db()
    assert mp.record_state == RS.RESTRICTED
    assert not RecordStateChange.objects.exists()


def test_backfill_sets_filed_for_services_with_a_number(operator):
    numbered = DomainFactory(operator=operator, icp_number="粤ICP备2024000001号-1")
    bare = DomainFactory(operator=operator)
    mp = MiniProgramFactory(operator=operator, icp_number="粤ICP备2024000001号-2X")
    MIGRATION.backfill_filed(django_apps, None)
    states = {
        "numbered": Domain.objects.get(pk=numbered.pk).record_state,
        "bare": Domain.objects.get(pk=bare.pk).record_state,
        "mp": MiniProgram.objects.get(pk=mp.pk).record_state,
    }
    assert states == {"numbered": "filed", "bare": "none", "mp": "filed"}


def test_shell_route_seed_marks_the_observed_provinces():
    Province.objects.update(shell_may_add_service=False)
    MIGRATION.seed_shell_route(django_apps, None)
    allowed = set(
        Province.objects.filter(shell_may_add_service=True).values_list("name_en", flat=True)
    )
    assert allowed == {
        "Tianjin",
        "Liaoning",
        "Sichuan",
        "Yunnan",
        "Jiangsu",
        "Zhejiang",
        "Shanghai",
        "Guangxi",
        "Shanxi",
        "Beijing",
        "Guizhou",
    }


# --- the compliance rules --------------------------------------------------------------------


AS_OF = D(2026, 3, 12)


def _items(rule, as_of=AS_OF):
    return list(compliance_items(as_of=as_of, rules=[rule]))


def test_access_cancelled_while_live_is_overdue_at_once(editor, operator):
    live = _filed_domain(operator)
    offline = _filed_domain(operator, live_since=None)
    keep = _filed_domain(operator)
    for d in (live, offline):
        record_state_change(
            service=d,
            to_state=RS.ACCESS_CANCELLED,
            source="manual",
            actor=editor,
            effective_on=D(2026, 3, 11),
        )
    items = {i.subject_id: i for i in _items(R.RECORD_ACCESS_CANCELLED)}
    assert set(items) == {live.pk, offline.pk}
    assert (items[live.pk].status, items[live.pk].due_date) == ("overdue", D(2026, 3, 11))
    assert items[offline.pk].status == "compliant"
    assert keep.pk not in items


def test_shell_entity_gets_the_route_of_its_province(editor):
    add_direct = OperatorFactory(province_id="310000")  # 沪: may add a service
    refile = OperatorFactory(province_id="440000")  # 粤: cancel and refile
    alive = OperatorFactory(province_id="440000")
    Province.objects.filter(pk="310000").update(shell_may_add_service=True)
    Province.objects.filter(pk="440000").update(shell_may_add_service=False)
    for op in (add_direct, refile):
        DomainFactory(
            operator=op,
            icp_number="x",
            record_state=RS.CANCELLED,
            record_state_since=D(2026, 3, 1),
        )
    DomainFactory(operator=alive, icp_number="x", record_state=RS.ACCESS_CANCELLED)
    DomainFactory(operator=alive, icp_number="y", record_state=RS.FILED)

    items = {i.operator_id: i for i in _items(R.RECORD_SHELL, as_of=D(2026, 3, 5))}

    assert set(items) == {add_direct.pk, refile.pk}
    assert items[add_direct.pk].subject_type == "operator"
    assert (items[add_direct.pk].status, items[add_direct.pk].due_date) == (
        "due_soon",
        D(2026, 3, 8),
    )
    assert "add a service directly" in items[add_direct.pk].note["t"]
    assert "cancel the entity's filing and file again" in items[refile.pk].note["t"]
    later = {i.operator_id: i.status for i in _items(R.RECORD_SHELL, as_of=D(2026, 3, 9))}
    assert later[refile.pk] == "overdue"


def test_service_state_annotation_shows_record_states(operator):
    d = _filed_domain(operator, record_state_since=D(2026, 1, 1))
    Domain.objects.filter(pk=d.pk).update(record_state=RS.ACCESS_CANCELLED)
    mp = MiniProgramFactory(operator=operator, icp_number="z")
    MiniProgram.objects.filter(pk=mp.pk).update(record_state=RS.CANCELLED)
    assert with_domain_state(Domain.objects.filter(pk=d.pk)).get().compliance_state == (
        "access_cancelled"
    )
    assert with_miniprogram_state(MiniProgram.objects.filter(pk=mp.pk)).get().compliance_state == (
        "cancelled"
    )


def test_a_number_without_a_record_yet_keeps_the_entity_alive():
    op = OperatorFactory()
    DomainFactory(operator=op, icp_number="x", record_state=RS.ACCESS_CANCELLED)
    DomainFactory(operator=op, icp_number="粤ICP备2024000001号-2")  # imported: state none
    assert [i for i in _items(R.RECORD_SHELL) if i.operator_id == op.pk] == []
