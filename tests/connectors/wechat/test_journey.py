"""Syncs of a WeChat connector account against the local fake, through connectors.sync."""

from __future__ import annotations

import datetime
import logging
import threading

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from connectors.credentials import secret_strings
from connectors.models import (
    AccountHealth,
    ConnectorAccount,
    ConnectorFinding,
    ConnectorLink,
    FindingCode,
    SyncRun,
    SyncStatus,
)
from connectors.sync import run_sync
from filings.models import FilingApplication, FilingStatusChange
from tests.factories import ConnectorAccountFactory, MiniProgramFactory

from .conftest import seed_ticket

ENTRANCE = "/wxa/icp/get_icp_entrance_info"
AUTHORIZER_PATH = "/cgi-bin/component/api_authorizer_token"
COMPONENT_PATH = "/cgi-bin/component/api_component_token"
NUMBER = "粤ICP备2024286477号-1X"
AUDIT = [
    {"key_name": "小程序名称", "error": "名称与服务内容不符", "suggest": "修改小程序名称"},
    {"key_name": "补充说明", "error": "缺少说明", "suggest": ""},
]


def _register(count: int, **kw) -> list:
    """Mini-programs of one organization, each of its own operator (one operator's second
    application would wait for its first)."""
    first = MiniProgramFactory(**kw)
    org = first.organization
    return [first] + [
        MiniProgramFactory(operator__organization=org, **kw) for _ in range(count - 1)
    ]


def _account(fake, organization):
    account = ConnectorAccountFactory(organization=organization)
    seed_ticket(account, fake)
    return account


def _sync(account, **kw) -> SyncRun:
    run = run_sync(account.pk, trigger=kw.pop("trigger", "manual"), **kw)
    run.refresh_from_db()
    return run


@pytest.mark.django_db
def test_a_mini_program_filed_through_wechat_appears_as_the_same_sequence(wechat_fake):
    mp = MiniProgramFactory(operator__entity_number="")
    account = _account(wechat_fake, mp.organization)
    wechat_fake.add_authorizer(mp.appid, status=2)
    wechat_fake.script(
        mp.appid,
        [
            {"status": 2},
            {"status": 4, "sms": 1},
            {"status": 5, "audit_data": AUDIT},
            {"status": 2},
            {"status": 4, "sms": 2},
            {"status": 6},
        ],
    )
    wechat_fake.set_order(mp.appid, NUMBER, mp.name)
    seen = []
    for step in range(6):
        if step:
            wechat_fake.advance(mp.appid)
        run = _sync(account)
        assert run.status == SyncStatus.SUCCEEDED, (run.message, run.errors)
        assert run.objects_seen == 1
        assert run.findings == 0
        seen.append(FilingApplication.objects.get(miniprogram=mp).status)
    assert seen == [
        "provider_review",
        "sms_verification",
        "authority_rejected",
        "provider_review",
        "authority_review",
        "approved",
    ]
    filing = FilingApplication.objects.get(miniprogram=mp)
    path = list(filing.status_changes.order_by("pk").values_list("to_status", flat=True))
    assert path == [
        "provider_review",
        "sms_verification",
        "authority_review",
        "authority_rejected",
        "provider_review",
        "sms_verification",
        "authority_review",
        "approved",
    ]
    assert set(filing.status_changes.values_list("actor_label", flat=True)) == {"connector:wechat"}
    rejected = filing.status_changes.get(to_status="authority_rejected")
    assert list(rejected.reasons.values_list("field", "field_text", "error")) == [
        ("service_name", "", "名称与服务内容不符"),
        ("other", "补充说明", "缺少说明"),
    ]
    mp.refresh_from_db()
    assert mp.icp_number == NUMBER
    assert AuditEntry.objects.filter(actor_label="connector:wechat").exists()
    link = ConnectorLink.objects.get(account=account, external_id=mp.appid)
    assert link.filing_id == filing.pk
    assert link.vendor_state["status"] == 6
    assert link.label == mp.name

    # The same state again changes nothing.
    changes = FilingStatusChange.objects.count()
    audits = AuditEntry.objects.count()
    run = _sync(account)
    assert run.status == SyncStatus.SUCCEEDED
    assert run.changes_applied == 0
    assert FilingStatusChange.objects.count() == changes
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_a_token_expiring_mid_sync_is_renewed_exactly_once(wechat_fake):
    mps = _register(3)
    account = _account(wechat_fake, mps[0].organization)
    for mp in mps:
        wechat_fake.add_authorizer(mp.appid, status=2)
    assert _sync(account).status == SyncStatus.SUCCEEDED
    component, authorizer = wechat_fake.calls[COMPONENT_PATH], wechat_fake.calls[AUTHORIZER_PATH]
    assert wechat_fake.expire_token(appid=mps[1].appid) == 1
    run = _sync(account)
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert run.objects_seen == 3
    assert not run.errors
    assert wechat_fake.calls[AUTHORIZER_PATH] == authorizer + 1
    assert wechat_fake.calls[COMPONENT_PATH] == component
    assert wechat_fake.calls_for(ENTRANCE, mps[1].appid) == 2  # the refused call is not counted


@pytest.mark.django_db
def test_quota_defers_the_run_and_the_resumed_run_finishes_the_rest(wechat_fake):
    mps = _register(5)
    account = _account(wechat_fake, mps[0].organization)
    for mp in mps:
        wechat_fake.add_authorizer(mp.appid, status=2)
    ordered = sorted(mp.appid for mp in mps)
    wechat_fake.inject_quota(on_call=3)
    before = timezone.now()
    run = _sync(account)
    assert run.status == SyncStatus.DEFERRED
    assert run.cursor == 2
    assert run.objects_seen == 2
    account.refresh_from_db()
    assert account.health == AccountHealth.BACKING_OFF
    assert before + datetime.timedelta(seconds=59) <= account.backoff_until
    assert account.backoff_until <= timezone.now() + datetime.timedelta(seconds=61)
    assert run.resume_at == account.backoff_until
    assert FilingApplication.objects.filter(miniprogram__appid__in=ordered[:2]).count() == 2
    assert not FilingApplication.objects.filter(miniprogram__appid__in=ordered[2:]).exists()

    # Nothing is called while the account backs off.
    calls = sum(wechat_fake.calls.values())
    assert _sync(account, trigger="resume", resume=run).status == SyncStatus.DEFERRED
    assert sum(wechat_fake.calls.values()) == calls

    ConnectorAccount.objects.filter(pk=account.pk).update(backoff_until=None)
    resumed = _sync(account, trigger="resume", resume=run)
    assert resumed.status == SyncStatus.SUCCEEDED, resumed.errors
    assert resumed.objects_seen == 3
    assert {a: wechat_fake.calls_for(ENTRANCE, a) for a in ordered} == dict.fromkeys(ordered, 1)
    assert FilingApplication.objects.filter(miniprogram__appid__in=ordered).count() == 5
    account.refresh_from_db()
    assert account.backoff_until is None
    assert account.health == AccountHealth.OK


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_concurrent_syncs_apply_each_change_once(wechat_fake):
    mps = _register(3, operator__entity_number="")
    account = _account(wechat_fake, mps[0].organization)
    for mp in mps:
        wechat_fake.add_authorizer(mp.appid, status=4, sms=1)
    wechat_fake.delay = 0.05
    barrier = threading.Barrier(2)
    runs: list[int] = []
    failures: list[BaseException] = []

    def sync() -> None:
        try:
            barrier.wait()
            runs.append(run_sync(account.pk, trigger="manual").pk)
        except BaseException as exc:  # reported to the test thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sync) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures
    done = list(SyncRun.objects.filter(pk__in=runs))
    assert len(done) == 2
    statuses = sorted(r.status for r in done)
    assert statuses in (["skipped", "succeeded"], ["succeeded", "succeeded"])
    # Created, submitted and moved to the SMS step: 3 changes per mini-program, once.
    assert sum(r.changes_applied for r in done) == 9
    for mp in mps:
        filing = FilingApplication.objects.get(miniprogram=mp)
        assert list(filing.status_changes.values_list("to_status", flat=True)) == [
            "provider_review",
            "sms_verification",
        ]


@pytest.mark.django_db
def test_an_appid_not_in_the_register_is_an_unlinked_finding(wechat_fake):
    mp = MiniProgramFactory()
    account = _account(wechat_fake, mp.organization)
    wechat_fake.add_authorizer(mp.appid, status=2)
    wechat_fake.add_authorizer("wx00000000000000ff", status=4, sms=2)
    run = _sync(account)
    assert run.status == SyncStatus.SUCCEEDED
    assert run.findings == 1
    finding = ConnectorFinding.objects.get(account=account)
    assert finding.code == FindingCode.UNLINKED
    assert finding.link is not None
    assert finding.link.external_id == "wx00000000000000ff"
    assert FilingApplication.objects.count() == 1  # only the registered one's
    assert _sync(account).findings == 0  # seen again: still one open finding
    assert ConnectorFinding.objects.filter(account=account).count() == 1


@pytest.mark.django_db
def test_an_undocumented_status_is_an_error_on_that_object_only(wechat_fake):
    first, other = _register(2)
    account = _account(wechat_fake, first.organization)
    wechat_fake.add_authorizer(first.appid, status=2)
    wechat_fake.add_authorizer(other.appid, status=77)
    run = _sync(account)
    assert run.status == SyncStatus.PARTIAL
    assert [e["object"] for e in run.errors] == [other.appid]
    assert "77" in run.errors[0]["message"]
    assert FilingApplication.objects.filter(miniprogram=first).exists()
    assert not FilingApplication.objects.filter(miniprogram=other).exists()


@pytest.mark.django_db
def test_nothing_secret_in_logs_runs_or_audit(wechat_fake, caplog):
    caplog.set_level(logging.DEBUG)
    first, other = _register(2, operator__entity_number="")
    account = _account(wechat_fake, first.organization)
    wechat_fake.add_authorizer(first.appid, status=2)
    wechat_fake.add_authorizer(other.appid, status=2)
    assert _sync(account).status == SyncStatus.SUCCEEDED
    wechat_fake.expire_token(appid=first.appid)
    wechat_fake.expire_token(component=True)
    token = next(t for t, a in wechat_fake.access_tokens.items() if a == other.appid)
    wechat_fake.fail_next(ENTRANCE, 86300, f"system error, access_token={token}", on_call=2)
    runs = [_sync(account)]
    assert runs[0].status == SyncStatus.PARTIAL
    assert runs[0].errors
    wechat_fake.component_appsecret = "rotated-secret-at-the-vendor-000001"
    wechat_fake.expire_token(component=True)
    runs.append(_sync(account))
    assert runs[1].status == SyncStatus.CREDENTIAL_ERROR
    account.refresh_from_db()
    secrets = [*wechat_fake.secrets(), *secret_strings(account)]
    secrets.remove(account.credential_values()["component_appid"])  # an identifier, shown
    texts = [caplog.text, account.health_message]
    for run in runs:
        texts += [run.message, str(run.errors)]
    texts += [str(c) for c in AuditEntry.objects.values_list("changes", flat=True)]
    texts += [str(v) for v in ConnectorLink.objects.values_list("vendor_state", flat=True)]
    for text in texts:
        for secret in secrets:
            assert secret not in text


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_readers_of_one_state_past_the_lease_apply_it_once(wechat_fake):
    """Without the lease (a push-triggered read beside a sync), the locked link row lets the
    second see the first's digest."""
    from connectors import registry
    from connectors.apply import apply_state

    (mp,) = _register(1, operator__entity_number="")
    account = _account(wechat_fake, mp.organization)
    wechat_fake.add_authorizer(mp.appid, status=4, sms=1)
    kind = registry.get("wechat")
    barrier = threading.Barrier(2)
    changes: list[int] = []
    failures: list[BaseException] = []

    def read_and_apply() -> None:
        try:
            client = kind.client(ConnectorAccount.objects.get(pk=account.pk))
            (obj,) = kind.objects(client, only=mp.appid)
            (state,) = kind.read(client, obj)
            barrier.wait()
            changes.append(apply_state(account, state).changes)
        except BaseException as exc:  # reported to the test thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=read_and_apply) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures
    assert sorted(changes) == [0, 3]
    filing = FilingApplication.objects.get(miniprogram=mp)
    assert filing.status_changes.count() == 2
