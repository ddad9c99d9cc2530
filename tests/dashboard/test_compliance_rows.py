"""Overview, portfolio and operator detail read today's rows; another date is evaluated for a
bounded scope only, and a larger one is answered with a message instead."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import dashboard.compliance
import dashboard.portfolio
from compliance import tracking
from compliance.engine import compliance_items
from compliance.types import ComplianceStatus
from miniprograms.models import Operator
from tests.factories import DomainFactory, OperatorFactory

pytestmark = pytest.mark.django_db
AS_OF = "2024-03-01"


def _operators_with_items(org, n: int) -> list:
    """n operators, each with an overdue domain and one due in the next 30 days."""
    today = timezone.localdate()
    ops: list[Operator] = []
    for i in range(n):
        op = OperatorFactory(organization=org, name_zh=f"规模测试公司{len(ops)}-{i}")
        DomainFactory(operator=op, expires_on=today - datetime.timedelta(days=1 + i % 5))
        DomainFactory(operator=op, expires_on=today + datetime.timedelta(days=5 + i % 20))
        ops.append(op)
    tracking.flush()  # what the writing transaction's commit does in production
    return ops


def _queries(client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "url", [reverse("dashboard:overview"), reverse("dashboard:portfolio") + "?sort=-overdue"]
)
def test_today_query_count_is_flat_in_portfolio_size_case(client_for, manager, org, url):
    c = client_for(manager)
    _operators_with_items(org, 3)
    c.get(url)  # warm per-process caches
    few, response = _queries(c, url)
    _operators_with_items(org, 27)
    many, response = _queries(c, url)
    assert few == many, f"{url}: {few} queries for 3 operators, {many} for 30"
    # The overview: today's block, waiting applications and the service charts beside the
    # lists, plus the header's counts (unread, my open items), plus the sign-in policy's
    # permission lookup (whoever may reveal ID numbers needs a second factor: two queries).
    assert many <= 24
    if "overdue_count" in response.context:
        assert response.context["overdue_count"] == 30  # counted in full, listed by 15
        assert len(response.context["overdue"]) == 15
        assert response.context["due_soon_count"] == 30
    else:
        assert response.context["page_obj"].paginator.count == 30


def test_overview_today_counts_come_from_rows(client_for, manager, operator):
    today = timezone.localdate()
    DomainFactory(operator=operator, expires_on=today - datetime.timedelta(days=3))
    DomainFactory(operator=operator, expires_on=today + datetime.timedelta(days=20))
    DomainFactory(operator=operator, expires_on=today + datetime.timedelta(days=400))
    ctx = client_for(manager).get(reverse("dashboard:overview")).context
    assert [i.due_date for i in ctx["overdue"]] == [today - datetime.timedelta(days=3)]
    assert today + datetime.timedelta(days=20) in [i.due_date for i in ctx["due_soon"]]
    assert all(i.due_date <= today + datetime.timedelta(days=30) for i in ctx["due_soon"])
    services = {label: n for label, n, _ in ctx["service_rows"]}
    assert services[ComplianceStatus.OVERDUE.label] == 1
    assert sum(services.values()) == 3


@pytest.fixture
def limit_two(settings):
    settings.COMPLIANCE_AS_OF_MAX_OPERATORS = 2


@pytest.fixture
def engine_spy(monkeypatch):
    """Records the operators every engine call of the dashboard evaluates."""
    calls: list[list[int]] = []

    def spy(*, as_of, operators, **kwargs):
        calls.append(sorted(operators.values_list("pk", flat=True)))
        return compliance_items(as_of=as_of, operators=operators, **kwargs)

    monkeypatch.setattr(dashboard.compliance, "compliance_items", spy)
    monkeypatch.setattr(dashboard.portfolio, "compliance_items", spy)
    return calls


@pytest.mark.parametrize("name", ["dashboard:overview", "dashboard:portfolio"])
def test_as_of_over_too_large_a_scope_asks_to_narrow_it_case(
    client_for, manager, org, limit_two, engine_spy, name
):
    _operators_with_items(org, 3)
    response = client_for(manager).get(reverse(name), {"as_of": AS_OF})
    assert response.status_code == 200
    assert engine_spy == []  # nothing evaluated
    assert response.context["too_large"].limit == 2
    assert response.context["too_large"].operators == 3
    body = response.content.decode()
    assert 'data-testid="as-of-too-large"' in body
    assert "at most 2 clients" in body
    assert 'data-testid="as-of-narrow-form"' in body
    assert 'data-testid="compliance-item"' not in body
    assert 'data-testid="portfolio-row"' not in body


def test_as_of_within_the_limit_evaluates_the_scope(
    client_for, manager, org, limit_two, engine_spy
):
    ops = _operators_with_items(org, 3)
    c = client_for(manager)
    Operator.objects.filter(pk=ops[0].pk).update(province_id="330000")
    Operator.objects.exclude(pk=ops[0].pk).update(province_id="440000")
    response = c.get(reverse("dashboard:portfolio"), {"as_of": AS_OF, "province": "330000"})
    assert "too_large" not in response.context
    assert engine_spy[-1] == [ops[0].pk]
    assert [row["operator"].pk for row in response.context["page_obj"]] == [ops[0].pk]


def test_operator_detail_as_of_evaluates_that_operator_only(
    client_for, manager, org, limit_two, engine_spy
):
    ops = _operators_with_items(org, 3)
    url = reverse("dashboard:operator_detail", args=[ops[1].pk])
    ctx = client_for(manager).get(url, {"as_of": AS_OF}).context
    assert engine_spy == [[ops[1].pk]]
    assert {i.operator_id for i in ctx["items"]} == {ops[1].pk}
    assert ctx["items"]  # both domains are judged as of that date too
    # today: the rows, no evaluation
    ctx = client_for(manager).get(url).context
    assert engine_spy == [[ops[1].pk]]
    assert ctx["summary"].worst == ComplianceStatus.OVERDUE
    assert {i.operator_id for i in ctx["items"]} == {ops[1].pk}


def test_other_tenants_rows_never_appear(client_for, manager, operator, other_operator):
    today = timezone.localdate()
    DomainFactory(operator=operator, expires_on=today - datetime.timedelta(days=2))
    DomainFactory(operator=other_operator, name="leak-check.cn", expires_on=today)
    c = client_for(manager)
    response = c.get(reverse("dashboard:overview"))
    ctx = response.context
    seen = {i.operator_id for i in [*ctx["overdue"], *ctx["due_soon"]]}
    assert seen == {operator.pk}
    assert sum(n for _, n, _ in ctx["service_rows"]) == 1
    assert other_operator.name_zh not in response.content.decode()
    response = c.get(reverse("dashboard:portfolio"))
    assert [row["operator"].pk for row in response.context["page_obj"]] == [operator.pk]
    assert other_operator.name_zh not in response.content.decode()
    denied = c.get(reverse("dashboard:operator_detail", args=[other_operator.pk]))
    assert denied.status_code == 404
    assert "leak-check.cn" not in denied.content.decode()
    assert other_operator.name_zh not in denied.content.decode()
