"""connectors.apply: vendor states become application history through filing_transition."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from connectors.apply import apply_state
from connectors.models import ConnectorFinding, FindingCode
from connectors.types import VendorFiling, VendorReason
from filings.models import FilingApplication, FilingStatusChange
from icp.vendor_states import wechat_target
from tests.factories import ConnectorAccountFactory, MiniProgramFactory

pytestmark = pytest.mark.django_db


def _state(appid: str, status: int, sms: int = 0, **kw) -> VendorFiling:
    return VendorFiling(
        kind="miniprogram",
        external_id=appid,
        label="",
        target=wechat_target(status, sms),
        vendor_status=f"status={status} sms_verify_status={sms}",
        **kw,
    )


def test_sequence_from_nothing_to_filed_is_history_by_the_connector():
    mp = MiniProgramFactory(operator__entity_number="")
    account = ConnectorAccountFactory(organization=mp.organization)
    assert apply_state(account, _state(mp.appid, 2)).changes == 2  # created + submitted
    apply_state(account, _state(mp.appid, 4, 1))
    reasons = (VendorReason("service_name", "名称不符", "改名"),)
    apply_state(account, _state(mp.appid, 5, reasons=reasons))
    apply_state(account, _state(mp.appid, 2))
    apply_state(account, _state(mp.appid, 4, 2))
    number = f"粤ICP备2024286477号-{1}X"
    result = apply_state(account, _state(mp.appid, 6, number=number))
    assert result.findings == 0, ConnectorFinding.objects.values_list("message", flat=True)
    filing = FilingApplication.objects.get(miniprogram=mp)
    path = list(filing.status_changes.values_list("to_status", flat=True))
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
    assert filing.status == "approved"
    mp.refresh_from_db()
    assert mp.icp_number == number
    rejected = filing.status_changes.get(to_status="authority_rejected")
    assert list(rejected.reasons.values_list("field", "error")) == [("service_name", "名称不符")]
    assert AuditEntry.objects.filter(actor_label="connector:wechat").exists()


def test_same_state_twice_changes_nothing():
    mp = MiniProgramFactory()
    account = ConnectorAccountFactory(organization=mp.organization)
    apply_state(account, _state(mp.appid, 4, 1))
    before = FilingStatusChange.objects.count()
    assert apply_state(account, _state(mp.appid, 4, 1)).changes == 0
    assert FilingStatusChange.objects.count() == before


def test_unknown_appid_is_a_finding_and_nothing_else():
    account = ConnectorAccountFactory()
    result = apply_state(account, _state("wx00000000000000ff", 2))
    assert not result.linked
    assert ConnectorFinding.objects.get().code == FindingCode.UNLINKED
    assert not FilingApplication.objects.exists()


def test_the_timeline_and_the_api_name_the_connector(client_for, api, manager, operator):
    mp = MiniProgramFactory(operator=operator)
    account = ConnectorAccountFactory(organization=operator.organization)
    apply_state(account, _state(mp.appid, 4, 1))
    filing = FilingApplication.objects.get(miniprogram=mp)
    page = client_for(manager).get(f"/filings/{filing.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count(">connector:wechat</span>") == 2
    data = api(manager).get(f"/api/v1/filings/{filing.pk}/").json()
    assert [c["actor_label"] for c in data["history"]] == ["connector:wechat"] * 2
    assert [c["actor"] for c in data["history"]] == [None, None]


def test_a_submission_seen_at_the_vendor_skips_the_readiness_hold():
    """The provider accepted it already; the register's gaps stay on the worklist."""
    mp = MiniProgramFactory()
    account = ConnectorAccountFactory(organization=mp.organization)
    apply_state(account, _state(mp.appid, 2))
    change = FilingStatusChange.objects.get(to_status="provider_review")
    assert change.override_reason == ""
    assert change.overridden_gaps == []


def test_a_person_cannot_use_the_connectors_way_around_readiness(manager, operator):
    from filings.services import NotReady, filing_create, filing_transition

    mp = MiniProgramFactory(operator=operator)
    filing = filing_create(user=manager, operator=operator, channel="wechat", miniprogram=mp)
    with pytest.raises(NotReady):
        filing_transition(
            filing_id=filing.pk,
            to_status="provider_review",
            actor=manager,
            submitted_elsewhere=True,
        )
    filing.refresh_from_db()
    assert filing.status == "draft"


def test_a_state_that_ended_in_a_finding_is_tried_again():
    """The operator's other order held its slot; once it is withdrawn, the next sync applies."""
    from filings.services import filing_create, filing_transition

    mp = MiniProgramFactory()
    other = MiniProgramFactory(operator=mp.operator)
    account = ConnectorAccountFactory(organization=mp.organization)
    blocking = filing_create(user=None, operator=mp.operator, channel="wechat", miniprogram=other)
    filing_transition(
        filing_id=blocking.pk, to_status="provider_review", actor=None, submitted_elsewhere=True
    )
    first = apply_state(account, _state(mp.appid, 2))
    assert first.findings == 1
    assert not first.settled
    assert ConnectorFinding.objects.get().code == FindingCode.UNREACHABLE_STATE
    assert not FilingApplication.objects.filter(miniprogram=mp).exists()
    filing_transition(filing_id=blocking.pk, to_status="withdrawn", actor=None)
    again = apply_state(account, _state(mp.appid, 2))
    assert again.changes == 2
    assert again.settled
    assert FilingApplication.objects.get(miniprogram=mp).status == "provider_review"
    assert ConnectorFinding.objects.get().resolved_at is not None


def test_a_rejection_whose_reasons_lack_words_is_still_recorded():
    mp = MiniProgramFactory()
    account = ConnectorAccountFactory(organization=mp.organization)
    reasons = (VendorReason("other", "", "补充材料"), VendorReason("service_name", "", ""))
    result = apply_state(account, _state(mp.appid, 5, reasons=reasons))
    assert result.findings == 0
    change = FilingStatusChange.objects.get(to_status="authority_rejected")
    assert list(change.reasons.values_list("field", "field_text", "error")) == [
        ("other", "wechat", "补充材料"),
        ("service_name", "", "status=5 sms_verify_status=0"),
    ]
