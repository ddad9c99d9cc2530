"""Register pages at scale: counts by subquery, a typed operator filter, a bounded detail page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings.filters import FilingFilterSet
from filings.models import FilingApplication, FilingStatus
from tests.factories import (
    DomainFactory,
    FilingFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
    PreApprovalFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> tuple[int, list[str], Any]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], response


def _operators_with_services(org, n: int, *, miniprograms: int, domains: int) -> list:
    ops = []
    for _ in range(n):
        op = OperatorFactory(organization=org)
        MiniProgramFactory.create_batch(miniprograms, operator=op)
        DomainFactory.create_batch(domains, operator=op)
        ops.append(op)
    return ops


def test_operator_list_counts_each_operators_services_case(client_for, org, manager):
    # given operators with several mini-programs and domains each (the join multiplied them)
    ops = _operators_with_services(org, 3, miniprograms=3, domains=2)
    lone = OperatorFactory(organization=org)

    # when
    _, _, response = _queries(client_for(manager), reverse("dashboard:operator_list"))

    # then
    counts = {op.pk: op.service_count for op in response.context["page_obj"]}
    assert counts == {**{op.pk: 5 for op in ops}, lone.pk: 0}


def test_operator_list_queries_do_not_grow_with_operators_and_services(client_for, org, manager):
    c = client_for(manager)
    url = reverse("dashboard:operator_list") + "?sort=-services"
    _operators_with_services(org, 3, miniprograms=2, domains=2)
    c.get(url)  # warm per-process caches
    few, _, _ = _queries(c, url)

    _operators_with_services(org, 27, miniprograms=2, domains=2)
    many, sqls, response = _queries(c, url)

    assert few == many
    assert len(response.context["page_obj"]) == 25
    # Counted per row in subqueries, never by grouping the joined tables.
    assert not any("GROUP BY" in s and 'JOIN "miniprograms_domain"' in s for s in sqls)


@pytest.mark.parametrize("name", ["dashboard:miniprogram_list", "dashboard:domain_list"])
def test_service_list_page_does_not_grow_with_the_number_of_operators_case(
    client_for, org, manager, name
):
    # given one operator with services, then many more operators
    _operators_with_services(org, 1, miniprograms=2, domains=2)
    c = client_for(manager)
    url = reverse(name)
    small = len(c.get(url).content)
    others = [OperatorFactory(organization=org) for _ in range(40)]

    # when
    body = c.get(url).content

    # then: no list of every operator in the filter form
    assert len(body) == small
    assert not any(op.name_zh.encode() in body for op in others)


@pytest.mark.parametrize(
    ("name", "factory"),
    [("dashboard:miniprogram_list", MiniProgramFactory), ("dashboard:domain_list", DomainFactory)],
    ids=["miniprograms_case", "domains_case"],
)
def test_operator_is_typed_by_name_or_uscc(client_for, org, manager, name, factory):
    mine = factory(operator=OperatorFactory(organization=org, name_zh="鹏程网络科技有限公司"))
    theirs = factory(operator=OperatorFactory(organization=org, name_zh="远航信息技术有限公司"))
    c = client_for(manager)

    by_name = c.get(reverse(name), {"operator_q": "鹏程"})
    by_uscc = c.get(reverse(name), {"operator_q": mine.operator.uscc})

    for response in (by_name, by_uscc):
        assert [row.pk for row in response.context["page_obj"]] == [mine.pk]
    assert theirs.name.encode() not in by_name.content
    assert 'name="operator_q"' in by_name.content.decode()


def test_operator_from_a_link_is_shown_as_chosen_and_can_be_cleared(client_for, org, manager):
    mp = MiniProgramFactory(operator=OperatorFactory(organization=org))
    MiniProgramFactory(operator=OperatorFactory(organization=org))

    response = client_for(manager).get(
        reverse("dashboard:miniprogram_list"), {"operator": mp.operator_id}
    )

    assert [row.pk for row in response.context["page_obj"]] == [mp.pk]
    page = response.content.decode()
    assert f'<input type="hidden" name="operator" value="{mp.operator_id}">' in page
    assert mp.operator.name_zh in page


def test_operator_search_is_the_same_on_page_api_and_export(client_for, api, org, manager):
    mine = MiniProgramFactory(operator=OperatorFactory(organization=org, name_en="Pengcheng Net"))
    MiniProgramFactory(operator=OperatorFactory(organization=org, name_en="Yuanhang Info"))
    params = {"operator_q": "pengcheng"}

    page = client_for(manager).get(reverse("dashboard:miniprogram_list"), params)
    listed = api(manager).get("/api/v1/miniprograms/", params).json()["results"]
    exported = b"".join(
        api(manager).get("/api/v1/exports/miniprograms.csv", params).streaming_content
    )

    assert [r.pk for r in page.context["page_obj"]] == [mine.pk]
    assert [r["id"] for r in listed] == [mine.pk]
    lines = exported.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].startswith(f"{mine.pk},")


def test_filing_list_default_order_has_an_index():
    order = FilingFilterSet.base_filters["sort"].order_fields([])
    indexed = [list(index.fields) for index in FilingApplication._meta.indexes]

    assert [*order, "id"] in indexed


# --- operator detail --------------------------------------------------------------------------


def _fill(op, n: int) -> None:
    for i in range(n):
        mp = MiniProgramFactory(operator=op)
        dom = DomainFactory(operator=op)
        PersonFactory(operator=op, miniprogram=mp)
        PreApprovalFactory(operator=op, domain=dom)
        FilingFactory(miniprogram=mp, status=FilingStatus.APPROVED if i else FilingStatus.DRAFT)


def _detail_queries(client, op) -> tuple[int, list[str]]:
    """Statements of the detail page, less the savepoints of the test's own transaction."""
    url = reverse("dashboard:operator_detail", args=[op.pk])
    client.get(url)  # warm per-process caches
    _, sqls, _ = _queries(client, url)
    sqls = [s for s in sqls if "SAVEPOINT" not in s]
    return len(sqls), sqls


def test_operator_detail_reads_memberships_once(client_for, org, manager):
    op = OperatorFactory(organization=org)
    _fill(op, 2)

    _, sqls = _detail_queries(client_for(manager), op)

    membership_reads = [s for s in sqls if 'FROM "accounts_membership"' in s.split(" WHERE ")[0]]
    assert len(membership_reads) == 1, membership_reads


def test_operator_detail_runs_at_most_18_queries(client_for, org, manager):
    """Register, licences, applications, today's compliance rows of one client, the
    documents its setup checklist reads, and the header's counts (unread, my open items)."""
    op = OperatorFactory(organization=org)
    _fill(op, 3)
    c = client_for(manager)

    few, _ = _detail_queries(c, op)
    _fill(op, 12)
    many, sqls = _detail_queries(c, op)

    assert few == many
    assert many <= 18, "\n".join(s[:120] for s in sqls)


def test_operator_detail_queries_do_not_grow_with_its_register(client_for, org, manager):
    op = OperatorFactory(organization=org)
    _fill(op, 2)
    c = client_for(manager)
    few, _ = _detail_queries(c, op)

    _fill(op, 10)
    many, _ = _detail_queries(c, op)

    assert few == many
