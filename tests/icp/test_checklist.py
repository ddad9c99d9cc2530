"""The materials checklist rules (pure: no database)."""

from __future__ import annotations

from icp.checklist import (
    DocType,
    PreApprovalFacts,
    ServiceFacts,
    requirements_for,
)
from icp.types import EntityType

MP = ServiceFacts("miniprogram", 1, "商城")
SITE = ServiceFacts("domain", 2, "example.cn")


def _types(reqs, *, conditional=None):
    return [
        (r.doc_type, r.service.kind if r.service else None)
        for r in reqs
        if conditional is None or r.conditional is conditional
    ]


def test_enterprise_with_a_miniprogram_and_a_website_needs_the_full_list():
    reqs = requirements_for(entity_type=EntityType.ENTERPRISE, services=[MP, SITE], preapprovals=[])

    assert _types(reqs, conditional=False) == [
        (DocType.BUSINESS_LICENCE, None),
        (DocType.ENTITY_PERSON_ID, None),
        (DocType.SERVICE_PERSON_ID, "miniprogram"),
        (DocType.COMMITMENT_LETTER, "miniprogram"),
        (DocType.NO_PREAPPROVAL_COMMITMENT, "miniprogram"),
        (DocType.SERVICE_PERSON_ID, "domain"),
        (DocType.COMMITMENT_LETTER, "domain"),
        (DocType.DOMAIN_CERTIFICATE, "domain"),
        (DocType.NO_PREAPPROVAL_COMMITMENT, "domain"),
    ]
    assert _types(reqs, conditional=True) == [(DocType.AUTHORISATION_LETTER, None)]


def test_individual_needs_no_certificate_nor_authorisation_letter():
    reqs = requirements_for(entity_type=EntityType.INDIVIDUAL, services=[], preapprovals=[])

    assert _types(reqs) == [(DocType.ENTITY_PERSON_ID, None)]


def test_non_enterprise_organisation_needs_its_registration_certificate_case():
    for entity_type in (EntityType.PUBLIC_INSTITUTION, EntityType.SOCIAL_GROUP, EntityType.MEDICAL):
        reqs = requirements_for(entity_type=entity_type, services=[], preapprovals=[])

        assert reqs[0].doc_type == DocType.USCC_CERTIFICATE


def test_preapproval_replaces_the_no_preapproval_commitment_for_its_service():
    drug = PreApprovalFacts(7, "药品和医疗器械", miniprogram_id=1, domain_id=None)

    reqs = requirements_for(
        entity_type=EntityType.ENTERPRISE, services=[MP, SITE], preapprovals=[drug]
    )

    licence = [r for r in reqs if r.doc_type == DocType.PREAPPROVAL_LICENCE]
    assert [(r.label, r.service, r.preapproval_id, r.conditional) for r in licence] == [
        ("药品和医疗器械: 互联网药品信息服务资格证书", MP, 7, False)
    ]
    no_pre = [r.service for r in reqs if r.doc_type == DocType.NO_PREAPPROVAL_COMMITMENT]
    assert no_pre == [SITE]


def test_cancelled_and_unknown_preapproval_categories_case():
    edu = PreApprovalFacts(1, "教育", None, None)
    odd = PreApprovalFacts(2, "无人机", None, None)

    reqs = requirements_for(
        entity_type=EntityType.ENTERPRISE, services=[MP], preapprovals=[edu, odd]
    )

    licences = {r.preapproval_id: r for r in reqs if r.doc_type == DocType.PREAPPROVAL_LICENCE}
    assert licences[1].conditional is True  # national pre-approval for education was cancelled
    assert licences[2].conditional is False
    assert licences[2].label == "无人机: 主管部门批准文件"
    # An operator-wide pre-approval covers every service: no "not concerned" letter.
    assert DocType.NO_PREAPPROVAL_COMMITMENT not in [r.doc_type for r in reqs]
