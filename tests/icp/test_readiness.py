"""The readiness rules of the kernel: plain facts in, gaps out."""

from __future__ import annotations

import datetime

import pytest

from icp import review_fields
from icp.checklist import DocType, Requirement, ServiceFacts
from icp.readiness import SubjectFacts, material_gap, needs_readiness, subject_gaps
from icp.workflow import FilingKind

TODAY = datetime.date(2026, 12, 3)
OPERATOR = "深圳市测试科技有限公司"


def _domain(**kw) -> SubjectFacts:
    facts = {
        "kind": "domain",
        "id": 7,
        "name": "example.cn",
        "service_people": 1,
        "real_name_verified": True,
        "registrant_name": OPERATOR,
        "expires_on": TODAY + datetime.timedelta(days=400),
    }
    return SubjectFacts(**{**facts, **kw})


def _codes(gaps) -> list[str]:
    return [g.code for g in gaps]


def _check(subject, *, min_days=90):
    return subject_gaps(
        subject, operator_name=OPERATOR, min_domain_validity_days=min_days, as_of=TODAY
    )


def test_a_complete_domain_has_no_gaps():
    assert _check(_domain()) == []


def test_a_miniprogram_without_service_person_is_one_gap_pointing_at_the_person():
    gaps = _check(SubjectFacts("miniprogram", 3, "鹏程商城", service_people=0))
    assert _codes(gaps) == ["service_person"]
    assert gaps[0].field == "service_person"
    assert (gaps[0].service_kind, gaps[0].service_id) == ("miniprogram", 3)
    assert "鹏程商城" in str(gaps[0].message)


def test_a_miniprogram_is_not_judged_by_the_domain_rules():
    assert _check(SubjectFacts("miniprogram", 3, "商城", service_people=1)) == []


def test_the_entity_alone_has_no_subject_gaps():
    assert _check(SubjectFacts("", None, OPERATOR)) == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"real_name_verified": False}, "domain_real_name"),
        ({"registrant_name": "别人的公司"}, "domain_registrant"),
        ({"registrant_name": ""}, "domain_registrant"),
        ({"expires_on": TODAY + datetime.timedelta(days=89)}, "domain_validity"),
        ({"expires_on": None}, "domain_validity"),
        ({"service_people": 0}, "service_person"),
    ],
)
def test_each_domain_rule_reports_its_own_gap(change, code):
    assert _codes(_check(_domain(**change))) == [code]


def test_validity_counts_only_where_the_province_sets_a_minimum():
    short = _domain(expires_on=TODAY + datetime.timedelta(days=30))
    assert _codes(_check(short, min_days=None)) == []
    assert _codes(_check(short, min_days=0)) == []
    assert _codes(_check(short, min_days=30)) == []  # exactly the minimum left is enough
    assert _codes(_check(short, min_days=31)) == ["domain_validity"]


def test_cancellations_need_no_readiness():
    assert needs_readiness(FilingKind.NEW_FILING)
    assert needs_readiness(FilingKind.CHANGE)
    assert not needs_readiness(FilingKind.CANCEL_SERVICE)
    assert not needs_readiness(FilingKind.CANCEL_ENTITY)


def test_material_gap_names_the_document_and_the_service():
    service = ServiceFacts("domain", 7, "example.cn")
    req = Requirement(DocType.DOMAIN_CERTIFICATE, "域名证书", service)
    gap = material_gap(req, expired=False)
    assert (gap.code, gap.field, gap.doc_type) == ("material", "domain", "domain_certificate")
    assert (gap.service_kind, gap.service_id) == ("domain", 7)
    assert "example.cn" in str(gap.message)
    assert "missing" in str(gap.message)
    expired = material_gap(Requirement(DocType.BUSINESS_LICENCE, "营业执照"), expired=True)
    assert expired.service_kind == ""
    assert "expired" in str(expired.message)
    assert expired.as_dict()["field"] == "business_licence"


def test_field_registry_labels_keys_and_falls_back():
    assert review_fields.field_label("id_card_back") == "ID card, back"
    assert review_fields.field_label("other", "网站备注") == "网站备注"
    assert review_fields.field_label("legacy_key") == "legacy_key"
    assert review_fields.is_known_field("domain")
    assert not review_fields.is_known_field("id_card")
    assert ("other", review_fields.FIELD_LABELS["other"]) in review_fields.field_choices()
