"""Syncs of a Tencent Cloud account against the fake, through connectors.sync.run_sync."""

from __future__ import annotations

import json
import logging

import pytest

from audit.models import AuditEntry
from connectors import registry
from connectors.errors import CredentialError
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
from filings.services import filing_create, filing_transition
from tests.factories import DomainFactory
from tests.factories.connectors import TENCENT_CREDENTIALS

from .factories import TencentAccountFactory
from .fake import STRANGER_ID, STRANGER_KEY

pytestmark = pytest.mark.django_db

NUMBER = "粤ICP备2024286477号-1"
FILED = {"GovStatus": True, "LandedStatus": True, "AuditTicket": False, "Ban": False}
NOT_FILED = {"GovStatus": False, "LandedStatus": False, "AuditTicket": False, "Ban": False}


def _setup(**domain):
    account = TencentAccountFactory(operator__entity_number="")
    site = DomainFactory(operator=account.operator, **domain)
    return account, site


def _stored_texts(account: ConnectorAccount) -> str:
    """Everything a sync stored that a person or a log reader can see."""
    account.refresh_from_db()
    parts = [account.health_message]
    for run in SyncRun.objects.filter(account=account):
        parts += [run.message, json.dumps(run.errors, ensure_ascii=False)]
    for link in ConnectorLink.objects.filter(account=account):
        parts.append(json.dumps(link.vendor_state, ensure_ascii=False))
    parts += list(ConnectorFinding.objects.values_list("message", flat=True))
    for entry in AuditEntry.objects.all():
        parts.append(json.dumps(getattr(entry, "changes", None) or "", ensure_ascii=False))
    parts += list(FilingStatusChange.objects.values_list("note", flat=True))
    return "\n".join(str(p) for p in parts)


def test_a_domain_on_record_is_approved_with_its_number_once(tencent_fake, caplog):
    caplog.set_level(logging.DEBUG)
    account, site = _setup()
    tencent_fake.domains[site.name] = {**FILED, "IcpNumber": NUMBER}

    run = run_sync(account.pk, trigger="manual")

    assert run.status == SyncStatus.SUCCEEDED, run.errors
    filing = FilingApplication.objects.get(domain=site)
    assert (filing.channel, filing.status, filing.icp_number) == (
        "tencent_cloud",
        "approved",
        NUMBER,
    )
    assert filing.status_changes.order_by("pk").last().to_status == "approved"  # type: ignore[union-attr]
    assert set(filing.status_changes.values_list("actor_label", flat=True)) == {
        "connector:tencent_cloud"
    }
    site.refresh_from_db()
    assert site.icp_number == NUMBER
    assert run.changes_applied == filing.status_changes.count() + 1  # created + each step
    link = ConnectorLink.objects.get(account=account, external_id=site.name)
    assert link.domain == site
    assert link.filing == filing
    assert link.vendor_state["GovStatus"] is True
    assert link.vendor_state["province_review"] == 5  # DescribeEvaluateAuditDays, 440000

    changes = FilingStatusChange.objects.count()
    again = run_sync(account.pk, trigger="manual")
    assert again.status == SyncStatus.SUCCEEDED
    assert again.changes_applied == 0
    assert FilingStatusChange.objects.count() == changes
    assert FilingApplication.objects.filter(domain=site).count() == 1

    secret = TENCENT_CREDENTIALS["secret_key"]
    assert secret not in _stored_texts(account)
    assert secret not in caplog.text


def test_the_order_in_progress_moves_our_application_stage_by_stage(tencent_fake):
    account, site = _setup()
    tencent_fake.domains[site.name] = dict(NOT_FILED)
    tencent_fake.order_in_progress = "icp-2024-7"
    tencent_fake.orders = [{"IcpOrderId": "icp-2024-7", "Status": "初审"}]
    # Our application at Tencent Cloud, submitted here.
    filing = filing_create(user=None, operator=site.operator, channel="tencent_cloud", domain=site)
    filing_transition(
        filing_id=filing.pk, to_status="provider_review", actor=None, readiness_override="test"
    )

    def sync(status: str, **row) -> None:
        tencent_fake.orders[0].update(Status=status, **row)
        run = run_sync(account.pk, trigger="manual")
        assert run.status == SyncStatus.SUCCEEDED, run.errors
        filing.refresh_from_db()

    sync("初审")
    assert filing.status == "provider_review"
    sync("驳回", RejectReason="网站名称不符合要求")
    assert filing.status == "provider_rejected"
    rejected = filing.status_changes.get(to_status="provider_rejected")
    assert list(rejected.reasons.values_list("error", flat=True)) == ["网站名称不符合要求"]
    assert rejected.actor_label == "connector:tencent_cloud"
    assert "icp-2024-7" in rejected.note
    sync("初审")
    sync("短信核验")
    assert filing.status == "sms_verification"
    sync("管局审核")
    assert filing.status == "authority_review"
    path = list(filing.status_changes.values_list("to_status", flat=True))
    assert path == [
        "provider_review",
        "provider_rejected",
        "provider_review",
        "sms_verification",
        "authority_review",
    ]
    assert not ConnectorFinding.objects.filter(account=account).exists()


def test_an_unknown_order_status_is_an_error_on_the_run_not_a_guess(tencent_fake):
    account, site = _setup()
    tencent_fake.domains[site.name] = dict(NOT_FILED)
    filing = filing_create(user=None, operator=site.operator, channel="tencent_cloud", domain=site)
    filing_transition(
        filing_id=filing.pk, to_status="provider_review", actor=None, readiness_override="test"
    )
    tencent_fake.order_in_progress = "icp-9"
    tencent_fake.orders = [{"IcpOrderId": "icp-9", "Status": "待补充材料"}]
    changes = FilingStatusChange.objects.count()

    run = run_sync(account.pk, trigger="manual")

    assert run.status == SyncStatus.PARTIAL
    assert {e["object"] for e in run.errors} == {"icp-9", site.name}
    assert all("待补充材料" in e["message"] for e in run.errors)
    filing.refresh_from_db()
    assert filing.status == "provider_review"
    assert FilingStatusChange.objects.count() == changes
    account.refresh_from_db()
    assert account.health == AccountHealth.FAILING


def test_keys_of_another_account_stop_the_run_with_a_clear_credential_error(tencent_fake, caplog):
    caplog.set_level(logging.DEBUG)
    account, site = _setup()
    account.set_credential_values({"secret_id": STRANGER_ID, "secret_key": STRANGER_KEY})
    account.save()
    tencent_fake.domains[site.name] = {**FILED, "IcpNumber": NUMBER}

    run = run_sync(account.pk, trigger="manual")

    assert run.status == SyncStatus.CREDENTIAL_ERROR
    assert "UnauthorizedOperation" in run.message
    assert "do not belong to the filing entity's account" in run.message
    account.refresh_from_db()
    assert account.health == AccountHealth.CREDENTIAL_ERROR
    assert account.health_message == run.message
    assert not FilingApplication.objects.exists()
    assert not ConnectorLink.objects.exists()
    assert STRANGER_KEY not in _stored_texts(account)
    assert STRANGER_KEY not in caplog.text


def test_the_request_limit_defers_the_run(tencent_fake):
    account, site = _setup()
    tencent_fake.domains[site.name] = {**FILED, "IcpNumber": NUMBER}
    tencent_fake.limit_next = 1

    run = run_sync(account.pk, trigger="manual")

    assert run.status == SyncStatus.DEFERRED
    account.refresh_from_db()
    assert account.health == AccountHealth.BACKING_OFF
    assert account.backoff_until == run.resume_at
    assert run.resume_at is not None
    assert not FilingApplication.objects.exists()
    # Until the window passes nothing is called.
    calls = len(tencent_fake.calls)
    assert run_sync(account.pk, trigger="manual").status == SyncStatus.DEFERRED
    assert len(tencent_fake.calls) == calls


def test_a_run_deferred_mid_way_resumes_where_it_stopped(tencent_fake):
    account, first = _setup(name="a-first.cn")
    second = DomainFactory(operator=account.operator, name="b-second.cn")
    tencent_fake.domains[first.name] = {**FILED, "IcpNumber": NUMBER}
    tencent_fake.domains[second.name] = {**FILED, "IcpNumber": "粤ICP备2024286477号-2"}
    tencent_fake.limit_domain, tencent_fake.limit_next = second.name, 1

    deferred = run_sync(account.pk, trigger="manual")

    assert deferred.status == SyncStatus.DEFERRED
    assert deferred.cursor == 1  # the first domain is done
    assert FilingApplication.objects.get(domain=first).status == "approved"
    assert not FilingApplication.objects.filter(domain=second).exists()

    ConnectorAccount.objects.filter(pk=account.pk).update(backoff_until=None)  # window passed
    tencent_fake.calls.clear()
    resumed = run_sync(account.pk, trigger="resume", resume=deferred)

    assert resumed.status == SyncStatus.SUCCEEDED, resumed.errors
    assert resumed.resumed_from == deferred
    assert FilingApplication.objects.get(domain=second).status == "approved"
    asked = [c["params"].get("Domain") for c in tencent_fake.calls]
    assert first.name not in asked  # not read again
    assert second.name in asked


def test_a_filed_domain_not_accessed_at_tencent_is_a_finding_and_nothing_else(tencent_fake):
    account, site = _setup(record_state="filed", icp_number=NUMBER)
    tencent_fake.domains[site.name] = {**FILED, "LandedStatus": False, "IcpNumber": NUMBER}

    run = run_sync(account.pk, trigger="manual")

    assert run.status == SyncStatus.SUCCEEDED, run.errors
    assert not FilingApplication.objects.exists()  # no change application invented
    finding = ConnectorFinding.objects.get(account=account)
    assert finding.code == FindingCode.NOT_FILED
    assert "LandedStatus=false" in finding.message
    run_sync(account.pk, trigger="manual")
    assert ConnectorFinding.objects.filter(account=account).count() == 1

    tencent_fake.domains[site.name]["LandedStatus"] = True
    run_sync(account.pk, trigger="manual")
    finding.refresh_from_db()
    assert finding.resolved_at is not None


def test_a_blocked_domain_is_a_banned_finding(tencent_fake):
    account, site = _setup(record_state="filed", icp_number=NUMBER)
    tencent_fake.domains[site.name] = {**FILED, "Ban": True}

    run_sync(account.pk, trigger="manual")

    finding = ConnectorFinding.objects.get(account=account, code=FindingCode.BANNED)
    assert "Ban=true" in finding.message


def test_check_credentials_reports_the_summary_and_review_days(tencent_fake):
    account, _site = _setup()
    tencent_fake.summary = {"PassedCount": 2, "PendingCount": 1}
    kind = registry.get("tencent_cloud")
    message = kind.check_credentials(kind.client(account))
    assert message.startswith("Filing entity account: 2 passed, 1 pending.")
    assert "5" in message.split("pending.")[1]
    assert TENCENT_CREDENTIALS["secret_key"] not in message


def test_objects_are_the_order_in_progress_and_the_entitys_domains(tencent_fake):
    account, site = _setup()
    DomainFactory()  # another entity's domain: not this account's
    tencent_fake.order_in_progress = "icp-1"
    kind = registry.get("tencent_cloud")
    objects = list(kind.objects(kind.client(account)))
    assert [(o.kind, o.external_id) for o in objects] == [
        ("entity", "icp-1"),
        ("domain", site.name),
    ]
    only = list(kind.objects(kind.client(account), only=site.name))
    assert [o.external_id for o in only] == [site.name]


def test_check_credentials_with_another_accounts_keys_is_refused(tencent_fake):
    account, _site = _setup()
    account.set_credential_values({"secret_id": STRANGER_ID, "secret_key": STRANGER_KEY})
    kind = registry.get("tencent_cloud")
    with pytest.raises(CredentialError) as exc:
        kind.check_credentials(kind.client(account))
    assert exc.value.code == "UnauthorizedOperation"
    assert STRANGER_KEY not in exc.value.message


def test_our_application_in_flight_with_nothing_at_tencent_is_a_finding(tencent_fake):
    """No order in progress and no record: our in-flight application is not moved, flagged."""
    account, site = _setup()
    tencent_fake.domains[site.name] = dict(NOT_FILED)
    filing = filing_create(user=None, operator=site.operator, channel="tencent_cloud", domain=site)
    filing_transition(
        filing_id=filing.pk, to_status="provider_review", actor=None, readiness_override="test"
    )
    changes = FilingStatusChange.objects.count()

    run = run_sync(account.pk, trigger="manual")

    assert run.status == SyncStatus.SUCCEEDED, run.errors
    filing.refresh_from_db()
    assert filing.status == "provider_review"
    assert FilingStatusChange.objects.count() == changes
    finding = ConnectorFinding.objects.get(account=account, code=FindingCode.NOT_FILED)
    assert "GovStatus=false" in finding.message


def test_review_days_refused_do_not_stop_the_sync(tencent_fake):
    """CAM grants ba per action: a key without DescribeEvaluateAuditDays still syncs."""
    account, site = _setup()
    tencent_fake.domains[site.name] = {**FILED, "IcpNumber": NUMBER}
    tencent_fake.denied_actions = {"DescribeEvaluateAuditDays"}

    run = run_sync(account.pk, trigger="manual")

    assert run.status == SyncStatus.SUCCEEDED, run.message
    assert FilingApplication.objects.get(domain=site).status == "approved"
    link = ConnectorLink.objects.get(account=account, external_id=site.name)
    assert link.vendor_state["province_review"] is None
    assert tencent_fake.refused == ["UnauthorizedOperation"]  # asked once, not per domain
    kind = registry.get("tencent_cloud")
    message = kind.check_credentials(kind.client(account))
    assert message == "Filing entity account: 1 passed, 0 pending."


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        ("change", FILED),  # the old record stays on file during a change
        ("new_access", {**FILED, "LandedStatus": False}),  # on record through another provider
    ],
)
def test_a_record_on_file_does_not_approve_a_change_or_new_access_in_flight(
    tencent_fake, kind, answer
):
    account, site = _setup(icp_number=NUMBER, record_state="filed")
    tencent_fake.domains[site.name] = dict(answer)
    filing = filing_create(
        user=None, operator=site.operator, kind=kind, channel="tencent_cloud", domain=site
    )
    filing_transition(
        filing_id=filing.pk, to_status="provider_review", actor=None, readiness_override="test"
    )
    run = run_sync(account.pk, trigger="manual")
    assert run.status == SyncStatus.SUCCEEDED, run.errors
    filing.refresh_from_db()
    assert filing.status == "provider_review"
    assert filing.status_changes.count() == 1
    assert not ConnectorFinding.objects.filter(
        account=account, code=FindingCode.UNREACHABLE_STATE
    ).exists()
