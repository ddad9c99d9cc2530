"""Transitions through the service: every (from, to) pair is applied iff the written table says so.

The pure rules are tested in tests/icp/test_workflow.py against the same hand-written table.
"""

from __future__ import annotations

import threading
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import UniqueConstraint

from core.exceptions import ConflictError, PermissionDeniedError
from filings.models import (
    FilingApplication,
    FilingChannel,
    FilingKind,
    FilingStatus,
    FilingStatusChange,
    RejectionReason,
)
from filings.services import InvalidTransition, filing_transition
from icp.workflow import IN_FLIGHT
from tests.factories import FilingFactory, MiniProgramFactory, make_ready
from tests.icp.workflow_expected import expected_targets

S = FilingStatus
ALL = list(S.values)
REASONS = [{"field": "id_card_front", "error": "照片模糊", "suggestion": "重新上传"}]
PAIRS = [(a, b) for a in ALL for b in ALL]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair_allowed_exactly_when_the_table_says(from_status, to_status, manager, operator):
    mp = MiniProgramFactory(operator=operator)
    filing = FilingFactory(miniprogram=mp, status=from_status, channel=FilingChannel.TENCENT_CLOUD)
    assert filing.kind == FilingKind.NEW_FILING
    if to_status == S.PROVIDER_REVIEW:
        make_ready(filing)  # readiness is tested in test_readiness.py
    expected = expected_targets(from_status, kind=filing.kind, channel=filing.channel)

    def attempt():
        return filing_transition(
            filing_id=filing.pk,
            to_status=to_status,
            actor=manager,
            icp_number="粤ICP备2024286477号-2X",
            reasons=REASONS,
        )

    if to_status in expected:
        result = attempt()
        assert result.status == to_status
        change = FilingStatusChange.objects.get(filing=filing)
        assert (change.from_status, change.to_status, change.actor) == (
            from_status,
            to_status,
            manager,
        )
    else:
        with pytest.raises(InvalidTransition) as exc:
            attempt()
        assert exc.value.extra["allowed"] == sorted(expected)
        filing.refresh_from_db()
        assert filing.status == from_status
        assert not FilingStatusChange.objects.filter(filing=filing).exists()


def test_rejection_requires_reasons_and_stores_them_per_field(manager, operator):
    filing = FilingFactory(
        miniprogram=MiniProgramFactory(operator=operator), status=S.AUTHORITY_REVIEW
    )
    with pytest.raises(ValidationError, match="at least one reason"):
        filing_transition(filing_id=filing.pk, to_status=S.AUTHORITY_REJECTED, actor=manager)
    filing.refresh_from_db()
    assert filing.status == S.AUTHORITY_REVIEW
    assert not FilingStatusChange.objects.filter(filing=filing).exists()
    filing_transition(
        filing_id=filing.pk, to_status=S.AUTHORITY_REJECTED, actor=manager, reasons=REASONS
    )
    reason = RejectionReason.objects.get(status_change__filing=filing)
    assert (reason.field, reason.error, reason.suggestion) == (
        "id_card_front",
        "照片模糊",
        "重新上传",
    )


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("京ICP备2024286477号-2X", "北京市"),  # another province than the operator's (广东)
        ("粤ICP备2024286477号-2A", "-NX"),  # an app suffix on a mini-program
        ("粤ICP备2024286477号", "X"),  # an entity number, not a service number
        ("not a number", ""),
    ],
    ids=["wrong_province", "app_suffix", "entity_only", "garbage"],
)
def test_approval_checks_the_number_and_changes_nothing_when_wrong(
    number, message, manager, operator
):
    mp = MiniProgramFactory(operator=operator)
    filing = FilingFactory(miniprogram=mp, status=S.AUTHORITY_REVIEW)
    with pytest.raises(ValidationError) as exc:
        filing_transition(
            filing_id=filing.pk, to_status=S.APPROVED, actor=manager, icp_number=number
        )
    assert list(exc.value.message_dict) == ["icp_number"]
    assert message in " ".join(exc.value.message_dict["icp_number"])
    filing.refresh_from_db()
    mp.refresh_from_db()
    assert (filing.status, filing.icp_number, mp.icp_number) == (S.AUTHORITY_REVIEW, "", "")


def test_approval_records_the_number_on_subject_and_operator(manager, operator):
    mp = MiniProgramFactory(operator=operator)
    filing = FilingFactory(miniprogram=mp, status=S.AUTHORITY_REVIEW)
    filing_transition(
        filing_id=filing.pk,
        to_status=S.APPROVED,
        actor=manager,
        icp_number="粤ICP备2024286477号－2x",
    )
    mp.refresh_from_db()
    operator.refresh_from_db()
    assert mp.icp_number == "粤ICP备2024286477号-2X"
    assert operator.entity_number == "粤ICP备2024286477号"


def test_viewer_and_client_cannot_move_an_application(viewer, client_user, operator):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    for user in (viewer, client_user):
        with pytest.raises(PermissionDeniedError, match="read-only"):
            filing_transition(filing_id=filing.pk, to_status=S.PROVIDER_REVIEW, actor=user)
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
    assert not FilingStatusChange.objects.filter(filing=filing).exists()


def test_second_in_flight_application_is_refused_by_the_database(operator):
    first = FilingFactory(
        miniprogram=MiniProgramFactory(operator=operator), status=S.PROVIDER_REVIEW
    )
    second = FilingFactory.build(
        miniprogram=MiniProgramFactory(operator=operator), status=S.SMS_VERIFICATION
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        # Straight to the database, past every Python check.
        FilingApplication.objects.bulk_create([second])
    assert list(FilingApplication.objects.filter(operator=operator)) == [first]


def test_second_in_flight_application_is_a_conflict_through_the_service(manager, operator):
    FilingFactory(miniprogram=MiniProgramFactory(operator=operator), status=S.AUTHORITY_REVIEW)
    draft = make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=operator)))
    with pytest.raises(ConflictError, match="主办者冲突"):
        filing_transition(filing_id=draft.pk, to_status=S.PROVIDER_REVIEW, actor=manager)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert not FilingStatusChange.objects.filter(filing=draft).exists()


def test_in_flight_set_matches_the_constraint():
    constraint = next(
        c
        for c in FilingApplication._meta.constraints
        if c.name == "filing_one_in_flight_per_operator"
    )
    assert isinstance(constraint, UniqueConstraint)
    assert constraint.condition is not None
    # Q(status__in=...) built from keywords: its children are (lookup, value) pairs.
    lookups = dict(cast(list[tuple[str, Any]], constraint.condition.children))
    assert set(lookups["status__in"]) == set(IN_FLIGHT)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")  # re-seeds what another test's flush removed
def test_two_concurrent_approvals_one_wins_one_conflicts(manager, operator):
    assert connection.vendor == "postgresql"  # row locks are the point of this test
    filing = FilingFactory(
        miniprogram=MiniProgramFactory(operator=operator), status=S.AUTHORITY_REVIEW
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve():
        close_old_connections()
        try:
            barrier.wait()
            filing_transition(
                filing_id=filing.pk,
                to_status=S.APPROVED,
                actor=manager,
                icp_number="粤ICP备2024286477号-2X",
            )
            outcomes.append("won")
        except InvalidTransition:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert FilingStatusChange.objects.filter(filing=filing, to_status=S.APPROVED).count() == 1


def test_transition_resyncs_reminders_after_commit(
    manager, operator, django_capture_on_commit_callbacks, monkeypatch
):
    from notifications.tasks import reminder_resync_task

    sent: list[int] = []
    monkeypatch.setattr(reminder_resync_task, "delay", sent.append)
    filing = make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=operator)))
    with django_capture_on_commit_callbacks(execute=True):
        filing_transition(filing_id=filing.pk, to_status=S.PROVIDER_REVIEW, actor=manager)
    assert sent == [operator.pk]


def test_refused_transition_enqueues_nothing(manager, operator, django_capture_on_commit_callbacks):
    filing = FilingFactory(miniprogram=MiniProgramFactory(operator=operator))
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(InvalidTransition):
        filing_transition(filing_id=filing.pk, to_status=S.APPROVED, actor=manager)
    assert callbacks == []
    filing.refresh_from_db()
    assert filing.status == S.DRAFT
    assert not FilingStatusChange.objects.filter(filing=filing).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")  # re-seeds what another test's flush removed
def test_broker_outage_does_not_undo_a_committed_transition(manager, operator, monkeypatch, caplog):
    from notifications.tasks import reminder_resync_task

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(reminder_resync_task, "delay", broker_down)
    filing = make_ready(FilingFactory(miniprogram=MiniProgramFactory(operator=operator)))
    # Autocommit: the service's own atomic block commits, then the hook runs and fails.
    result = filing_transition(filing_id=filing.pk, to_status=S.PROVIDER_REVIEW, actor=manager)
    filing.refresh_from_db()
    assert result.status == filing.status == S.PROVIDER_REVIEW
    assert any("on_commit" in r.getMessage() for r in caplog.records)
