"""The compliance API today reads the maintained rows; another date evaluates a bounded
scope or answers 400 scope_too_large without evaluating."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import compliance.api
import compliance.selectors
from compliance import tracking
from compliance.engine import compliance_items
from compliance.models import ComplianceItem
from tests.factories import DomainFactory, OperatorFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/compliance/"
OPS_URL = "/api/v1/compliance/operators/"
AS_OF = "2024-03-01"


def _operators_with_items(org, n: int, province: str = "440000") -> list:
    today = timezone.localdate()
    ops = []
    for i in range(n):
        op = OperatorFactory(organization=org, province_id=province)
        DomainFactory(operator=op, expires_on=today - datetime.timedelta(days=1 + i % 7))
        DomainFactory(operator=op, expires_on=today + datetime.timedelta(days=3 + i % 20))
        ops.append(op)
    tracking.flush()  # what the writing transaction's commit does in production
    return ops


@pytest.fixture
def engine_spy(monkeypatch):
    calls: list[list[int]] = []

    def spy(*, as_of, operators, **kwargs):
        calls.append(sorted(operators.values_list("pk", flat=True)))
        return compliance_items(as_of=as_of, operators=operators, **kwargs)

    monkeypatch.setattr(compliance.api, "compliance_items", spy)
    monkeypatch.setattr(compliance.selectors, "compliance_items", spy)
    return calls


def test_today_is_read_from_rows_in_the_same_shape(api, manager, org, engine_spy):
    ops = _operators_with_items(org, 3)
    body = api(manager).get(URL, {"limit": 2}).json()
    assert engine_spy == []
    assert body["as_of"] == timezone.localdate().isoformat()
    assert body["count"] == body["summary"]["total"] == 6
    assert body["summary"]["by_status"]["overdue"] == 3
    assert body["summary"]["by_rule"]["domain_expiry"]["overdue"] == 3
    assert body["summary"]["by_province"]["440000"]["overdue"] == 3
    assert [i["status"] for i in body["items"]] == ["overdue", "overdue"]
    assert set(body["items"][0]) == {
        "rule", "subject_type", "subject_id", "subject_name", "operator_id", "operator_name",
        "organization_id", "province_code", "status", "due_date", "estimated", "message",
    }  # fmt: skip
    on_page = {i["operator_id"] for i in body["items"]}
    assert {o["operator_id"] for o in body["summary"]["operators"]} == on_page
    assert on_page <= {op.pk for op in ops}
    due_soon = api(manager).get(URL, {"status": "due_soon"}).json()
    assert due_soon["count"] == 3
    assert due_soon["summary"]["total"] == 6  # the summary ignores the status filter


@pytest.mark.parametrize("url", [URL, OPS_URL])
def test_today_query_count_is_flat_in_portfolio_size_case(api, manager, org, url):
    client = api(manager)
    _operators_with_items(org, 3)
    client.get(url)  # warm per-process caches

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"limit": 50}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    _operators_with_items(org, 27)
    many = count()
    assert few == many, f"{url}: {few} queries for 3 operators, {many} for 30"
    assert many <= 20


def test_operators_endpoint_is_paged_worst_first(api, manager, org):
    ops = _operators_with_items(org, 3)
    quiet = OperatorFactory(organization=org, name_zh="无事公司")
    tracking.flush()
    body = api(manager).get(OPS_URL, {"limit": 2, "offset": 0}).json()
    assert (body["count"], body["limit"], body["offset"]) == (4, 2, 0)
    assert [r["worst_status"] for r in body["operators"]] == ["overdue", "overdue"]
    last = api(manager).get(OPS_URL, {"limit": 2, "offset": 2}).json()["operators"]
    assert last[-1]["operator_id"] == quiet.pk
    assert last[-1]["worst_status"] == "not_applicable"
    every = {r["operator_id"] for r in body["operators"] + last}
    assert every == {op.pk for op in ops} | {quiet.pk}
    row = body["operators"][0]
    assert row["counts"]["overdue"] == 1
    assert row["counts"]["due_soon"] + row["counts"]["compliant"] == 1
    assert row["next_deadline"] is not None


@pytest.mark.parametrize("url", [URL, OPS_URL])
def test_as_of_over_too_large_a_scope_is_400_without_evaluating_case(
    api, manager, org, settings, engine_spy, url
):
    settings.COMPLIANCE_AS_OF_MAX_OPERATORS = 2
    _operators_with_items(org, 3)
    response = api(manager).get(url, {"as_of": AS_OF})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "scope_too_large"
    assert (body["limit"], body["operators_in_scope"]) == (2, 3)
    assert "items" not in body
    assert "operators" not in body
    assert engine_spy == []


def test_as_of_for_one_operator_or_province_evaluates_the_engine(
    api, manager, org, settings, engine_spy
):
    settings.COMPLIANCE_AS_OF_MAX_OPERATORS = 2
    ops = _operators_with_items(org, 3)
    zhejiang = _operators_with_items(org, 1, province="330000")[0]
    client = api(manager)
    one = client.get(URL, {"as_of": AS_OF, "operator": ops[1].pk})
    assert one.status_code == 200
    assert engine_spy == [[ops[1].pk]]
    assert {i["operator_id"] for i in one.json()["items"]} == {ops[1].pk}
    by_province = client.get(URL, {"as_of": AS_OF, "province": "330000"})
    assert by_province.status_code == 200
    assert engine_spy[-1] == [zhejiang.pk]


def test_other_tenants_rows_never_appear(api, manager, org, other_org, other_operator):
    mine = _operators_with_items(org, 2)
    DomainFactory(operator=other_operator, name="leak-check.cn", expires_on=timezone.localdate())
    tracking.flush()
    client = api(manager)
    body = client.get(URL).json()
    assert {i["operator_id"] for i in body["items"]} == {op.pk for op in mine}
    assert body["count"] == 4
    assert "leak-check.cn" not in str(body)
    ops = client.get(OPS_URL).json()
    assert {r["operator_id"] for r in ops["operators"]} == {op.pk for op in mine}
    denied = client.get(URL, {"operator": other_operator.pk})
    assert denied.status_code == 404
    assert "leak-check.cn" not in str(denied.json())
    assert other_operator.name_zh not in str(denied.json())


def test_the_summary_from_per_operator_counts_equals_grouping_the_items(
    api, manager, org, other_org
):
    """The maintained counts by rule add up to what a GROUP BY over the rows gives."""
    today = timezone.localdate()
    for n in range(4):
        op = OperatorFactory(organization=org, province_id=("110000", "440000")[n % 2])
        DomainFactory(operator=op, expires_on=today + datetime.timedelta(days=20 * n - 10))
        PersonFactory(operator=op, id_expires_on=today + datetime.timedelta(days=30 * n - 5))
    DomainFactory(operator=OperatorFactory(organization=other_org), expires_on=today)
    tracking.flush()

    for query in ("", "?province=440000", "?rule=domain_expiry"):
        body = api(manager).get(URL + query).json()
        rows = ComplianceItem.objects.filter(closed_at=None, organization=org)
        if "province" in query:
            rows = rows.filter(province_code="440000")
        if "rule" in query:
            rows = rows.filter(rule="domain_expiry")
        expected: dict[str, dict[str, int]] = {}
        for rule, status, n in rows.values_list("rule", "status").annotate(n=Count("id")):
            expected.setdefault(rule, {}).setdefault(status, 0)
            expected[rule][status] += n
        got = {
            rule: {s: n for s, n in counts.items() if n}
            for rule, counts in body["summary"]["by_rule"].items()
        }
        assert got == expected, query
        assert body["summary"]["total"] == rows.count() == body["count"]
