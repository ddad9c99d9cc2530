"""The http lookup backend against a fake lookup service on 127.0.0.1 (started by each test,
reached only through core.egress and its test allow-list), and how its answers reconcile
with the register."""

from __future__ import annotations

import datetime
import json
import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from compliance.rules import RuleCode as R
from monitoring.models.verify import LookupStatus, MiitLookup
from monitoring.verify import services
from tests.compliance.helpers import approve, at_beijing, item_for
from tests.egress_fakes import Answer, Listener
from tests.factories import DomainFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NUMBER = "粤ICP备2024000001号-1"


@pytest.fixture
def site(operator):
    domain = DomainFactory(operator=operator, name="shop.example.cn")
    approve(domain=domain, on=at_beijing(D(2026, 1, 5)))
    return domain


@pytest.fixture
def lookup_service(settings):
    with Listener() as fake:
        settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
        settings.MIIT_LOOKUP_BACKEND = "http"
        settings.MIIT_LOOKUP_URL = fake.url("/v1/icp")
        settings.MIIT_LOOKUP_KEY = "test-key"
        settings.MIIT_LOOKUP_TIMEOUT = 0.5
        yield fake


def answer(**body) -> Answer:
    return Answer(200, json.dumps(body, ensure_ascii=False).encode())


def run(site) -> MiitLookup:
    outcome = services.lookup_run(service_type="domain", service_id=site.pk)
    assert outcome.lookup is not None, outcome
    return outcome.lookup


def today_items(site):
    today = timezone.localdate()
    return (
        item_for(R.MIIT_RECORD_MISMATCH, site, today, "domain"),
        item_for(R.MIIT_RECORD_CHECK, site, today, "domain"),
    )


def test_found_and_matching_closes_the_manual_check(site, operator, lookup_service):
    lookup_service.answer = answer(
        found=True, state="normal", entity_name=operator.name_zh, number=NUMBER
    )
    lookup = run(site)
    assert (lookup.status, lookup.entity_name, lookup.number) == ("found", operator.name_zh, NUMBER)
    assert lookup.raw["state"] == "normal"
    seen = lookup_service.seen[0]
    assert seen.method == "GET"
    assert seen.headers["Authorization"] == "Bearer test-key"
    assert parse_qs(urlsplit(seen.path).query) == {"query": ["shop.example.cn"], "type": ["domain"]}
    mismatch, check = today_items(site)
    assert mismatch.status == "compliant"
    assert check.status == "compliant"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"found": False}, LookupStatus.NOT_FOUND, "found no record"),
        (
            {"found": True, "state": "已注销", "entity_name": "E", "number": NUMBER},
            LookupStatus.CANCELLED,
            "as cancelled",
        ),
    ],
    ids=["not_found_case", "cancelled_case"],
)
def test_not_found_and_cancelled_are_overdue_findings(site, lookup_service, body, status, words):
    lookup_service.answer = answer(**body)
    assert run(site).status == status
    mismatch, check = today_items(site)
    assert mismatch.status == "overdue"
    assert words in mismatch.message
    assert check.status != "compliant"  # the manual check is not closed by a finding


def test_different_entity_is_a_finding_with_ten_working_days(site, operator, lookup_service):
    lookup_service.answer = answer(
        found=True, state="normal", entity_name="别的公司", number=NUMBER
    )
    run(site)
    mismatch, check = today_items(site)
    assert mismatch.status == "due_soon"
    assert "别的公司" in mismatch.message
    assert operator.name_zh in mismatch.message
    assert "变更备案" in mismatch.message
    assert check.status != "compliant"


def test_different_number_is_a_finding(site, operator, lookup_service):
    lookup_service.answer = answer(
        found=True, state="normal", entity_name=operator.name_zh, number="粤ICP备2024000001号-2"
    )
    run(site)
    mismatch, _ = today_items(site)
    assert mismatch.status == "due_soon"
    assert "粤ICP备2024000001号-2" in mismatch.message
    assert NUMBER in mismatch.message


def test_number_written_differently_is_the_same_number(site, operator, lookup_service):
    lookup_service.answer = answer(
        found=True, state="normal", entity_name=operator.name_zh, number="粤ICP备 2024000001号－1"
    )
    run(site)
    assert today_items(site)[0].status == "compliant"


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Answer(500, b"oops"), "HTTP 500"),
        (Answer(200, b"<html>"), "not JSON"),
        (Answer(200, b"[1]"), "not a JSON object"),
        (Answer(200, b'{"entity_name": "x"}'), "does not say"),
        (Answer(200, b"{}", delay=2.0), "Timeout"),
    ],
    ids=[
        "http_500_case",
        "not_json_case",
        "not_object_case",
        "no_found_field_case",
        "timeout_case",
    ],
)
def test_errors_fail_soft_to_the_manual_check(site, lookup_service, caplog, reply, error):
    lookup_service.answer = reply
    with caplog.at_level(logging.WARNING, logger="monitoring.verify.services"):
        lookup = run(site)
    assert lookup.status == LookupStatus.ERROR
    assert error in lookup.error
    assert any("manual check stays open" in r.getMessage() for r in caplog.records)
    mismatch, check = today_items(site)
    assert mismatch is None  # an error is no finding
    assert check.status in ("due_soon", "overdue")  # the manual task stays open


def test_field_mapping_reads_a_vendors_own_names(site, operator, lookup_service, settings):
    settings.MIIT_LOOKUP_FIELDS = {
        "found": "data.exists",
        "state": "data.record.status",
        "entity_name": "data.record.unitName",
        "number": "data.record.serviceLicence",
    }
    lookup_service.answer = answer(
        data={
            "exists": True,
            "record": {"status": "正常", "unitName": operator.name_zh, "serviceLicence": NUMBER},
        }
    )
    lookup = run(site)
    assert (lookup.status, lookup.number) == ("found", NUMBER)


def test_no_request_leaves_except_through_the_guard(site, lookup_service, settings):
    # Without the test allow-list the guard refuses loopback: nothing reaches the fake.
    settings.EGRESS_ALLOW_NETWORKS = []
    lookup = run(site)
    assert lookup.status == LookupStatus.ERROR
    assert "Refused" in lookup.error
    assert lookup_service.seen == []


def test_manual_backend_looks_nothing_up(site, lookup_service, settings):
    settings.MIIT_LOOKUP_BACKEND = "manual"
    outcome = services.lookup_run(service_type="domain", service_id=site.pk)
    assert outcome.skipped == "manual backend"
    assert MiitLookup.objects.count() == 0
    assert lookup_service.seen == []
