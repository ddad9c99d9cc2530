"""One filter per list: for the same query, a page, its API and its export list the same rows.

Invalid input is a 400 in the API and the export and a visible error on the page, and the
operator / organization choices never accept (nor reveal) another tenant's rows.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from filings.models import FilingStatus
from miniprograms.models import EntityType, Platform, RealNameStatus
from tests.factories import (
    DomainFactory,
    FilingFactory,
    MiniProgramFactory,
    OperatorFactory,
    PersonFactory,
    make_notification,
)

pytestmark = pytest.mark.django_db

PAGES = {
    "operators": "dashboard:operator_list",
    "miniprograms": "dashboard:miniprogram_list",
    "domains": "dashboard:domain_list",
    "filings": "dashboard:filing_list",
}


@pytest.fixture
def client_for():
    """`client_for(user)`: a logged-in browser client for the dashboard pages."""

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def register(org, other_org) -> dict[str, Any]:
    """Two provinces, two operators, services filed and not, and a look-alike other tenant."""
    gd = OperatorFactory(organization=org, name_zh="广东甲网络有限公司", province_id="440000")
    zj = OperatorFactory(
        organization=org,
        name_zh="浙江乙网络有限公司",
        province_id="330000",
        entity_type=EntityType.INDIVIDUAL,
    )
    theirs = OperatorFactory(organization=other_org, name_zh="广东丙网络有限公司")
    mp_gd = MiniProgramFactory(operator=gd, name="甲商城", icp_number="粤ICP备2020000001号-1X")
    mp_zj = MiniProgramFactory(
        operator=zj, name="乙工具", platform=Platform.ALIPAY, launch_date=datetime.date(2023, 1, 1)
    )
    MiniProgramFactory(operator=theirs, name="丙商城")
    DomainFactory(operator=gd, name="jia.cn", site_name="甲的官网", registrant_name="某甲")
    DomainFactory(
        operator=zj,
        name="yi.cn",
        site_name="乙站",
        registrant_name="登记人乙",
        real_name_status=RealNameStatus.VERIFIED,
        expires_on=datetime.date(2027, 1, 1),
    )
    DomainFactory(operator=theirs, name="bing.cn", site_name="甲的官网")
    FilingFactory(miniprogram=mp_gd)
    FilingFactory(miniprogram=mp_zj, status=FilingStatus.PROVIDER_REVIEW, reference="ORDER-42")
    FilingFactory(miniprogram=MiniProgramFactory(operator=theirs))
    PersonFactory(operator=gd, name="王甲")
    PersonFactory(operator=zj, name="李乙")
    PersonFactory(operator=theirs, name="王丙")
    return {"gd": gd, "zj": zj, "theirs": theirs}


def _api_ids(api, user, resource: str, params: dict) -> list[int]:
    response = api(user).get(f"/api/v1/{resource}/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _export_ids(api, user, resource: str, params: dict) -> list[int]:
    response = api(user).get(f"/api/v1/exports/{resource}.csv", params)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    column = rows[0].index("ID")
    return [int(r[column]) for r in rows[1:]]


def _page_ids(client, resource: str, params: dict) -> list[int]:
    response = client.get(reverse(PAGES[resource]), params)
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' not in response.content.decode()
    return [obj.pk for obj in response.context["page_obj"]]


def _params(register: dict, raw: dict) -> dict:
    """Fixture names ("@gd") become the operator's id."""
    return {k: (register[v[1:]].pk if str(v).startswith("@") else v) for k, v in raw.items()}


CASES: list[tuple[str, dict[str, Any], int]] = [
    ("operators", {}, 2),
    ("operators", {"q": "广东"}, 1),
    ("operators", {"province": "330000"}, 1),
    ("operators", {"entity_type": EntityType.INDIVIDUAL}, 1),
    ("operators", {"sort": "-name"}, 2),
    ("operators", {"sort": "services"}, 2),
    ("miniprograms", {"q": "商城"}, 1),
    ("miniprograms", {"platform": Platform.ALIPAY}, 1),
    ("miniprograms", {"operator": "@gd"}, 1),
    ("miniprograms", {"province": "440000"}, 1),
    ("miniprograms", {"filed": "no"}, 1),
    ("miniprograms", {"sort": "-launch"}, 2),
    ("domains", {"q": "官网"}, 1),  # the site name (the page used to search it)
    ("domains", {"q": "登记人"}, 1),  # the registrant (the API used to search it)
    ("domains", {"real_name_status": RealNameStatus.VERIFIED}, 1),
    ("domains", {"sort": "-expires"}, 2),
    ("filings", {"status": FilingStatus.DRAFT}, 1),
    ("filings", {"q": "ORDER-42"}, 1),
    ("filings", {"operator": "@zj"}, 1),
    ("filings", {"province": "330000", "sort": "operator"}, 1),
    ("filings", {}, 2),
]


@pytest.mark.parametrize(
    ("resource", "raw", "count"),
    CASES,
    ids=[f"{r}_{'_'.join(map(str, p)) or 'all'}_case" for r, p, _ in CASES],
)
def test_page_api_and_export_list_the_same_rows(
    api, client_for, manager, register, resource, raw, count
):
    # given
    params = _params(register, raw)

    # when
    page = _page_ids(client_for(manager), resource, params)
    from_api = _api_ids(api, manager, resource, params)
    exported = _export_ids(api, manager, resource, params)

    # then
    assert len(page) == count
    assert page == from_api == exported


@pytest.mark.parametrize(
    ("resource", "raw", "count"),
    [
        ("persons", {"q": "王"}, 1),
        ("persons", {"operator": "@zj"}, 1),
        ("persons", {"sort": "-name"}, 2),
    ],
    ids=["search_case", "operator_case", "sort_case"],
)
def test_api_and_export_of_persons_list_the_same_rows(api, manager, register, resource, raw, count):
    params = _params(register, raw)

    from_api = _api_ids(api, manager, resource, params)

    assert len(from_api) == count
    assert from_api == _export_ids(api, manager, resource, params)


def test_sort_orders_the_rows_the_same_way_everywhere(api, client_for, manager, register):
    ascending = _page_ids(client_for(manager), "operators", {"sort": "name"})
    descending = _api_ids(api, manager, "operators", {"sort": "-name"})

    assert ascending == [register["gd"].pk, register["zj"].pk]
    assert descending == list(reversed(ascending))
    assert _export_ids(api, manager, "operators", {"sort": "-name"}) == descending


def test_old_api_parameter_names_still_work_on_every_surface(api, client_for, manager, register):
    old = {"search": "广东", "ordering": "-name_zh"}
    new = {"q": "广东", "sort": "-name"}

    expected = [register["gd"].pk]

    assert _api_ids(api, manager, "operators", old) == expected
    assert _api_ids(api, manager, "operators", new) == expected
    assert _export_ids(api, manager, "operators", old) == expected
    assert _page_ids(client_for(manager), "operators", old) == expected


INVALID = [
    ("operators", {"sort": "bogus"}, "sort"),
    ("operators", {"province": "999999"}, "province"),
    ("miniprograms", {"operator": "abc"}, "operator"),
    ("miniprograms", {"filed": "maybe"}, "filed"),
    ("domains", {"real_name_status": "nonsense"}, "real_name_status"),
    ("filings", {"status": "lost"}, "status"),
    ("filings", {"sort": "-nothing"}, "sort"),
]


@pytest.mark.parametrize(
    ("resource", "params", "field"),
    INVALID,
    ids=[f"{r}_{f}_case" for r, _, f in INVALID],
)
def test_invalid_filter_is_a_400_in_the_api_and_export_and_an_error_on_the_page(
    api, client_for, manager, register, resource, params, field
):
    from_api = api(manager).get(f"/api/v1/{resource}/", params)
    exported = api(manager).get(f"/api/v1/exports/{resource}.csv", params)
    page = client_for(manager).get(reverse(PAGES[resource]), params)

    assert from_api.status_code == 400
    assert list(from_api.json()) == [field]
    assert exported.status_code == 400
    assert page.status_code == 200
    assert 'data-testid="filter-errors"' in page.content.decode()
    assert list(page.context["page_obj"]) == []


@pytest.mark.parametrize(
    "resource", ["miniprograms", "domains", "filings", "persons"], ids=lambda r: f"{r}_case"
)
def test_another_tenants_operator_is_refused_like_a_missing_one(
    api, client_for, manager, register, resource
):
    theirs = register["theirs"].pk
    missing = theirs + 10_000

    refused = api(manager).get(f"/api/v1/{resource}/", {"operator": theirs})
    absent = api(manager).get(f"/api/v1/{resource}/", {"operator": missing})
    exported = api(manager).get(f"/api/v1/exports/{resource}.csv", {"operator": theirs})

    assert refused.status_code == absent.status_code == 400
    # The same message for both, except for the id itself: nothing about the other tenant.
    assert refused.json() == {"operator": [absent.json()["operator"][0]]}
    assert str(theirs) not in refused.content.decode().replace(str(missing), "")
    assert exported.status_code == 400
    assert "丙" not in refused.content.decode() + exported.content.decode()
    if resource in PAGES:
        page = client_for(manager).get(reverse(PAGES[resource]), {"operator": theirs})
        body = page.content.decode()
        assert 'data-testid="filter-errors"' in body
        assert list(page.context["page_obj"]) == []
        assert "丙网络" not in body


def test_another_tenants_organization_is_refused_like_a_missing_one(
    api, manager, org, other_org, register
):
    refused = api(manager).get("/api/v1/operators/", {"organization": other_org.pk})
    absent = api(manager).get("/api/v1/operators/", {"organization": other_org.pk + 10_000})
    mine = _api_ids(api, manager, "operators", {"organization": org.pk})

    assert refused.status_code == absent.status_code == 400
    assert list(refused.json()) == list(absent.json()) == ["organization"]
    assert sorted(mine) == sorted([register["gd"].pk, register["zj"].pk])


def test_filtering_never_changes_what_is_stored(api, client_for, manager, register):
    # given
    before = sorted(
        (m.pk, m.operator_id, m.icp_number) for m in register["gd"].miniprograms.model.objects.all()
    )

    # when: invalid and foreign filters on every surface
    api(manager).get("/api/v1/miniprograms/", {"operator": register["theirs"].pk})
    api(manager).get("/api/v1/exports/miniprograms.csv", {"filed": "maybe"})
    client_for(manager).get(reverse(PAGES["miniprograms"]), {"sort": "bogus"})

    # then
    after = sorted(
        (m.pk, m.operator_id, m.icp_number) for m in register["gd"].miniprograms.model.objects.all()
    )
    assert after == before


def test_inbox_and_api_list_the_same_notifications(api, client_for, manager, operator):
    unread = make_notification(manager, operator, title="未读", n=0)
    read = make_notification(manager, operator, title="已读", n=1)
    read.read_at = timezone.now()
    read.save()
    page_client = client_for(manager)

    def page(params: dict) -> list[int]:
        return [n.pk for n in page_client.get(reverse("notification_pages:inbox"), params)
                .context["page_obj"]]  # fmt: skip

    def from_api(params: dict) -> list[int]:
        return [n["id"] for n in api(manager).get("/api/v1/notifications/", params).json()[
            "results"]]  # fmt: skip

    assert page({"state": "unread"}) == from_api({"state": "unread"}) == [unread.pk]
    assert page({"state": "all"}) == from_api({"state": "all"}) == [read.pk, unread.pk]
    assert page({}) == [unread.pk]  # the inbox opens on unread
    assert from_api({}) == [read.pk, unread.pk]


def test_invalid_notification_state_is_a_400_and_an_error_on_the_inbox(
    api, client_for, manager, operator
):
    make_notification(manager, operator)

    response = api(manager).get("/api/v1/notifications/", {"state": "bogus"})
    page = client_for(manager).get(reverse("notification_pages:inbox"), {"state": "bogus"})

    assert response.status_code == 400
    assert list(response.json()) == ["state"]
    assert page.status_code == 200
    assert 'data-testid="filter-errors"' in page.content.decode()
    assert list(page.context["page_obj"]) == []
