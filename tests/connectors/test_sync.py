"""connectors.sync: one run at a time, back-off that loses nothing, errors kept per object."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from connectors.errors import CredentialError, QuotaError, VendorError
from connectors.models import AccountHealth, ConnectorAccount, ConnectorLink, SyncRun, SyncStatus
from connectors.sync import claim, release, run_sync, schedule_due
from connectors.types import VendorFiling
from filings.models import FilingStatusChange
from icp.vendor_states import wechat_target
from tests.factories import ConnectorAccountFactory, MiniProgramFactory

pytestmark = pytest.mark.django_db


def _state(appid: str, status: int, sms: int = 0) -> VendorFiling:
    return VendorFiling(
        kind="miniprogram",
        external_id=appid,
        label="",
        target=wechat_target(status, sms),
        vendor_status=f"status={status}",
    )


@pytest.fixture
def three(scripted):
    first = MiniProgramFactory()
    org = first.organization
    mps = [
        first,
        MiniProgramFactory(operator__organization=org),
        MiniProgramFactory(operator__organization=org),
    ]
    account = ConnectorAccountFactory(organization=org, kind="scripted")
    for mp in mps:
        scripted.script[mp.appid] = _state(mp.appid, 2)
    return account, mps


def test_a_sync_applies_every_object_and_logs_the_run(three, scripted):
    account, _mps = three
    run = run_sync(account.pk, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED
    assert (run.objects_seen, run.changes_applied, run.findings) == (3, 6, 0)
    assert run.finished_at is not None
    account.refresh_from_db()
    assert account.health == AccountHealth.OK
    assert account.last_synced_at is not None
    again = run_sync(account.pk, trigger="manual")
    assert (again.objects_seen, again.changes_applied) == (3, 0)


def test_a_second_sync_while_one_holds_the_account_is_skipped(three, scripted):
    account, _ = three
    lease = claim(account.pk)
    assert lease is not None
    run = run_sync(account.pk, trigger="manual")
    assert run.status == SyncStatus.SKIPPED
    assert scripted.calls == []
    assert not FilingStatusChange.objects.exists()
    release(lease)
    assert run_sync(account.pk, trigger="manual").status == SyncStatus.SUCCEEDED


def test_an_expired_lease_does_not_block_for_ever(three):
    account, _ = three
    ConnectorAccount.objects.filter(pk=account.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1), lease_token="dead"
    )
    assert run_sync(account.pk, trigger="manual").status == SyncStatus.SUCCEEDED


def test_quota_defers_and_the_resumed_run_finishes_without_rereading(
    three, scripted, django_capture_on_commit_callbacks, monkeypatch
):
    from connectors import tasks

    account, mps = three
    until = timezone.now() + datetime.timedelta(seconds=60)
    scripted.script[mps[1].appid] = QuotaError("minute quota", until=until, code=45011)
    queued: list[dict] = []
    monkeypatch.setattr(tasks.sync_task, "apply_async", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        run = run_sync(account.pk, trigger="schedule")
    assert run.status == SyncStatus.DEFERRED
    assert run.cursor == 1
    assert run.resume_at == until
    # The rest of the run is queued for the window.
    assert queued == [
        {
            "kwargs": {
                "account_id": account.pk,
                "trigger": "resume",
                "only": "",
                "resume_run_id": run.pk,
            },
            "eta": until,
        }
    ]
    account.refresh_from_db()
    assert account.backoff_until == until
    assert account.health == AccountHealth.BACKING_OFF
    # Backing off: nothing is called before the window.
    scripted.calls.clear()
    assert run_sync(account.pk, trigger="manual").status == SyncStatus.DEFERRED
    assert scripted.calls == []
    # The window passed: the resumed run starts at the object that hit the quota.
    ConnectorAccount.objects.filter(pk=account.pk).update(backoff_until=timezone.now())
    scripted.script[mps[1].appid] = _state(mps[1].appid, 2)
    resumed = run_sync(account.pk, trigger="resume", resume=run)
    assert resumed.status == SyncStatus.SUCCEEDED
    assert scripted.calls == [mps[1].appid, mps[2].appid]
    assert FilingStatusChange.objects.filter(to_status="provider_review").count() == 3


def test_refused_credentials_stop_the_run_and_mark_the_account(three, scripted):
    account, mps = three
    scripted.script[mps[0].appid] = CredentialError("keys refused")
    run = run_sync(account.pk, trigger="manual")
    assert run.status == SyncStatus.CREDENTIAL_ERROR
    assert run.message == "keys refused"
    assert scripted.calls == [mps[0].appid]
    account.refresh_from_db()
    assert account.health == AccountHealth.CREDENTIAL_ERROR
    assert not FilingStatusChange.objects.exists()
    assert account.pk not in schedule_due()  # not retried on schedule until fixed


def test_an_error_about_one_object_is_kept_and_the_others_go_on(three, scripted):
    account, mps = three
    scripted.script[mps[0].appid] = VendorError("errcode=86000 no such filing", code=86000)
    run = run_sync(account.pk, trigger="manual")
    assert run.status == SyncStatus.PARTIAL
    assert run.errors == [{"object": mps[0].appid, "message": "errcode=86000 no such filing"}]
    assert run.changes_applied == 4


def test_an_object_no_longer_listed_is_marked_gone(three, scripted):
    account, mps = three
    run_sync(account.pk, trigger="manual")
    del scripted.script[mps[2].appid]
    run_sync(account.pk, trigger="manual")
    gone = ConnectorLink.objects.filter(gone_at__isnull=False)
    assert list(gone.values_list("external_id", flat=True)) == [mps[2].appid]


def test_schedule_is_bounded_jittered_and_queues_once(settings):
    settings.CONNECTOR_MAX_CONCURRENT = 2
    settings.CONNECTOR_JITTER_FRACTION = 0.1
    accounts = [ConnectorAccountFactory(kind="scripted", cadence_minutes=60) for _ in range(3)]
    now = timezone.now()
    first = schedule_due(now)
    assert len(first) == 2
    for account in ConnectorAccount.objects.filter(pk__in=first):
        assert account.next_sync_at is not None
        delay = (account.next_sync_at - now).total_seconds()
        assert 3600 <= delay <= 3600 * 1.1
    assert schedule_due(now) == [accounts[2].pk]  # the others are not due again
    assert schedule_due(now) == []
    # Two accounts syncing: no room for more.
    ConnectorAccount.objects.update(
        next_sync_at=None, lease_until=now + datetime.timedelta(minutes=5)
    )
    assert schedule_due(now) == []


def test_disabled_accounts_are_not_scheduled():
    ConnectorAccountFactory(kind="scripted", enabled=False)
    assert schedule_due() == []


def test_resume_message_twice_resumes_once(three, scripted):
    from connectors.tasks import sync_task

    account, mps = three
    scripted.script[mps[0].appid] = QuotaError("q", until=timezone.now(), code=45011)
    run = run_sync(account.pk, trigger="schedule")
    scripted.script[mps[0].appid] = _state(mps[0].appid, 2)
    ConnectorAccount.objects.filter(pk=account.pk).update(backoff_until=None)
    assert sync_task(account.pk, trigger="resume", resume_run_id=run.pk)
    assert sync_task(account.pk, trigger="resume", resume_run_id=run.pk) == 0
    assert SyncRun.objects.filter(resumed_from=run).count() == 1


def test_an_unchanged_sync_costs_the_same_queries_for_any_number_of_objects(scripted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def unchanged_queries(n: int) -> int:
        scripted.script.clear()
        account = ConnectorAccountFactory(kind="scripted")
        for _ in range(n):
            mp = MiniProgramFactory(operator__organization=account.organization)
            scripted.script[mp.appid] = _state(mp.appid, 2)
        run_sync(account.pk, trigger="manual")
        with CaptureQueriesContext(connection) as ctx:
            run = run_sync(account.pk, trigger="manual")
        assert run.objects_seen == n
        assert run.changes_applied == 0
        return len(ctx.captured_queries)

    assert unchanged_queries(2) == unchanged_queries(8)


def test_an_unexpected_failure_of_one_object_is_kept_and_the_others_go_on(three, scripted, caplog):
    account, mps = three
    scripted.script[mps[1].appid] = KeyError("a bug")
    run = run_sync(account.pk, trigger="manual")
    assert run.status == SyncStatus.PARTIAL
    assert run.errors == [
        {"object": mps[1].appid, "message": "internal error (see the server log)"}
    ]
    assert run.changes_applied == 4
    assert "a bug" in caplog.text


def test_a_run_that_breaks_is_finished_as_failed_and_frees_the_account(three, monkeypatch):
    from connectors import registry

    account, _ = three
    kind = registry.get("scripted")

    def broken(client, *, only=""):
        raise RuntimeError("listing broke")

    monkeypatch.setattr(kind, "objects", broken)
    with pytest.raises(RuntimeError):
        run_sync(account.pk, trigger="manual")
    run = SyncRun.objects.get(account=account)
    assert run.status == SyncStatus.FAILED
    assert run.finished_at is not None
    account.refresh_from_db()
    assert account.lease_until is None


def test_the_sweep_queues_again_a_push_that_was_never_acted_on(monkeypatch):
    from connectors import tasks
    from connectors.models import PushEvent, PushOutcome
    from tests.factories import PushEventFactory

    now = timezone.now()
    lost = PushEventFactory(received_at=now - datetime.timedelta(minutes=10))
    PushEventFactory(received_at=now - datetime.timedelta(seconds=30))  # may still be queued
    PushEventFactory(received_at=now - datetime.timedelta(minutes=10), processed_at=now)
    PushEventFactory(received_at=now - datetime.timedelta(days=2))  # too old to matter
    PushEventFactory(received_at=now - datetime.timedelta(minutes=10), outcome=PushOutcome.FORGED)
    queued: list[int] = []
    monkeypatch.setattr(tasks.push_task, "delay", queued.append)
    tasks.sweep_task()
    assert queued == [lost.pk]
    assert PushEvent.objects.filter(processed_at__isnull=True).count() == 4


def test_a_pushed_sync_that_finds_the_account_busy_is_queued_again(
    three, scripted, monkeypatch, django_capture_on_commit_callbacks
):
    from connectors import tasks

    account, mps = three
    queued: list[dict] = []
    monkeypatch.setattr(tasks.sync_task, "apply_async", lambda **kw: queued.append(kw))
    lease = claim(account.pk)
    assert lease is not None
    with django_capture_on_commit_callbacks(execute=True):
        run = run_sync(account.pk, trigger="push", only=mps[0].appid)
        scheduled = run_sync(account.pk, trigger="schedule")
        last = run_sync(account.pk, trigger="push", only=mps[0].appid, attempt=4)
    assert (run.status, scheduled.status, last.status) == (SyncStatus.SKIPPED,) * 3
    assert scripted.calls == []
    # Only the first push is queued again: a scheduled sync waits for its time, and the
    # attempts are bounded.
    assert queued == [
        {
            "kwargs": {
                "account_id": account.pk,
                "trigger": "push",
                "only": mps[0].appid,
                "attempt": 1,
            },
            "countdown": 60,
        }
    ]
    release(lease)


def test_a_switched_off_account_calls_nothing_from_queued_work(three, scripted):
    account, _ = three
    ConnectorAccount.objects.filter(pk=account.pk).update(enabled=False)
    run = run_sync(account.pk, trigger="resume")
    assert run.status == SyncStatus.SKIPPED
    assert scripted.calls == []
    assert not FilingStatusChange.objects.exists()
