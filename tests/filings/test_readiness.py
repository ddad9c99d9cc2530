"""Submitting for provider review waits for a ready application; a manager may override."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.exceptions import PermissionDeniedError
from filings.models import FilingKind, FilingStatus, FilingStatusChange
from filings.readiness import filing_readiness
from filings.services import NotReady, filing_transition
from miniprograms.models import PersonRole, RealNameStatus
from tests.factories import (
    DocumentFactory,
    DomainFactory,
    FilingFactory,
    MiniProgramFactory,
    PersonFactory,
    PreApprovalFactory,
    make_ready,
)

S = FilingStatus


@pytest.fixture
def draft(operator):
    return FilingFactory(miniprogram=MiniProgramFactory(operator=operator, name="鹏程商城"))


def _codes(filing) -> list[tuple[str, str]]:
    return sorted((g.code, g.doc_type) for g in filing_readiness(filing))


def test_an_empty_miniprogram_lists_the_person_and_every_required_document(draft):
    assert _codes(draft) == [
        ("material", "business_licence"),
        ("material", "commitment_letter"),
        ("material", "entity_person_id"),
        ("material", "no_preapproval_commitment"),
        ("material", "service_person_id"),
        ("service_person", ""),
    ]


def test_documents_of_another_service_do_not_count_nor_hold_it_up(draft, operator):
    other = MiniProgramFactory(operator=operator)
    DocumentFactory(operator=operator, doc_type="commitment_letter", miniprogram=other)
    assert ("material", "commitment_letter") in _codes(draft)
    make_ready(draft)
    assert _codes(draft) == []  # the other mini-program's own gaps are not this filing's


def test_an_expired_document_is_a_gap_again(draft, operator):
    make_ready(draft)
    DocumentFactory(
        operator=operator,
        doc_type="business_licence",
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    gaps = filing_readiness(draft)
    assert [(g.doc_type, "expired" in str(g.message)) for g in gaps] == [("business_licence", True)]


def test_a_preapproval_asks_for_its_licence_instead_of_the_commitment(draft, operator):
    PreApprovalFactory(operator=operator, miniprogram=draft.miniprogram, category="新闻")
    codes = _codes(draft)
    assert ("material", "preapproval_licence") in codes
    assert ("material", "no_preapproval_commitment") not in codes


def test_domain_rules_use_the_register_and_the_province_minimum(operator):
    domain = DomainFactory(
        operator=operator,
        real_name_status=RealNameStatus.PENDING,
        registrant_name="别人的公司",
        expires_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    filing = FilingFactory(miniprogram=None, domain=domain, operator=operator)
    PersonFactory(operator=operator, role=PersonRole.SERVICE, domain=domain)
    codes = {g.code for g in filing_readiness(filing)}
    assert {"domain_real_name", "domain_registrant", "domain_validity"} <= codes
    assert "service_person" not in codes
    province = operator.province
    assert province.domain_min_validity_days == 90  # seeded by the migration
    province.domain_min_validity_days = None
    province.save()
    filing.operator.province.refresh_from_db()
    assert "domain_validity" not in {g.code for g in filing_readiness(filing)}


def test_blocked_submit_changes_nothing_and_lists_what_is_missing(draft, editor):
    with pytest.raises(NotReady) as exc:
        filing_transition(filing_id=draft.pk, to_status=S.PROVIDER_REVIEW, actor=editor)
    missing = exc.value.extra["missing"]
    assert {m["code"] for m in missing} == {"service_person", "material"}
    assert all(m["message"] for m in missing)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert not FilingStatusChange.objects.filter(filing=draft).exists()


def test_a_ready_application_is_submitted_without_an_override(draft, editor):
    make_ready(draft)
    filing_transition(filing_id=draft.pk, to_status=S.PROVIDER_REVIEW, actor=editor)
    change = FilingStatusChange.objects.get(filing=draft)
    assert change.to_status == S.PROVIDER_REVIEW
    assert (change.override_reason, change.overridden_gaps) == ("", [])


def test_an_editor_cannot_override(draft, editor):
    with pytest.raises(PermissionDeniedError):
        filing_transition(
            filing_id=draft.pk,
            to_status=S.PROVIDER_REVIEW,
            actor=editor,
            readiness_override="客户催得急",
        )
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert not FilingStatusChange.objects.filter(filing=draft).exists()


def test_a_manager_override_records_the_reason_the_actor_and_the_gaps(draft, manager):
    filing_transition(
        filing_id=draft.pk,
        to_status=S.PROVIDER_REVIEW,
        actor=manager,
        readiness_override="  材料已线下提交给接入商  ",
    )
    draft.refresh_from_db()
    assert draft.status == S.PROVIDER_REVIEW
    change = FilingStatusChange.objects.get(filing=draft)
    assert change.actor == manager
    assert change.override_reason == "材料已线下提交给接入商"
    assert len(change.overridden_gaps) == 6
    assert {g["code"] for g in change.overridden_gaps} == {"service_person", "material"}


def test_a_blank_override_is_no_override(draft, manager):
    with pytest.raises(NotReady):
        filing_transition(
            filing_id=draft.pk, to_status=S.PROVIDER_REVIEW, actor=manager, readiness_override=" "
        )
    assert not FilingStatusChange.objects.filter(filing=draft).exists()


def test_resubmission_after_rejection_is_gated_too(draft, editor):
    draft.status = S.PROVIDER_REJECTED
    draft.save()
    with pytest.raises(NotReady):
        filing_transition(filing_id=draft.pk, to_status=S.PROVIDER_REVIEW, actor=editor)
    draft.refresh_from_db()
    assert draft.status == S.PROVIDER_REJECTED


def test_cancellations_and_other_steps_are_not_gated(draft, operator, editor):
    cancel = FilingFactory(
        miniprogram=MiniProgramFactory(operator=operator), kind=FilingKind.CANCEL_SERVICE
    )
    assert filing_readiness(cancel) == []
    filing_transition(filing_id=cancel.pk, to_status=S.PROVIDER_REVIEW, actor=editor)
    cancel.refresh_from_db()
    assert cancel.status == S.PROVIDER_REVIEW
    assert filing_readiness(draft)  # not ready, and still free to withdraw
    filing_transition(filing_id=draft.pk, to_status=S.WITHDRAWN, actor=editor)
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN
