"""The compliance column and `?compliance=` filter of the mini-program and domain lists."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance import tracking
from compliance.service_states import (
    DomainComplianceFilterSet,
    MiniProgramComplianceFilterSet,
    ServiceState,
    with_domain_state,
    with_miniprogram_state,
)
from filings.models import FilingStatus
from miniprograms.models import Domain, Lifecycle, MiniProgram
from tests.factories import (
    DomainFactory,
    FilingFactory,
    MiniProgramFactory,
    OperatorFactory,
)

pytestmark = pytest.mark.django_db
S = ServiceState


def today() -> datetime.date:
    """Today where the test runs (read per call: a run may cross midnight)."""
    return timezone.localdate()


DAY = datetime.timedelta(days=1)


@pytest.fixture
def services(operator):
    """One mini-program and one domain in each state, in `org`."""
    mps = {
        S.LIVE_UNFILED: MiniProgramFactory(operator=operator, name="上线未备案"),
        S.FILED: MiniProgramFactory(
            operator=operator, name="已备案", icp_number="粤ICP备2023000001号-1X"
        ),
        S.RETIRED: MiniProgramFactory(
            operator=operator, name="已下架", lifecycle=Lifecycle.DELISTED
        ),
        S.UNFILED: MiniProgramFactory(
            operator=operator, name="开发中", lifecycle=Lifecycle.IN_DEVELOPMENT, launch_date=None
        ),
    }
    in_progress = MiniProgramFactory(
        operator=operator, name="备案中", lifecycle=Lifecycle.IN_DEVELOPMENT
    )
    FilingFactory(miniprogram=in_progress, status=FilingStatus.AUTHORITY_REVIEW)
    mps[S.IN_PROGRESS] = in_progress
    op2 = OperatorFactory(organization=operator.organization)
    domains = {
        S.EXPIRED: DomainFactory(operator=operator, name="expired.cn", expires_on=today() - DAY),
        S.PSB_MISSING: DomainFactory(
            operator=operator,
            name="nopsb.cn",
            icp_number="粤ICP备2023000001号-2",
            live_since=today() - 90 * DAY,
        ),
        S.FILED: DomainFactory(
            operator=operator,
            name="filed.cn",
            icp_number="粤ICP备2023000001号-3",
            live_since=today() - 90 * DAY,
            psb_number="粤公网安备44030502000123号",
        ),
        S.LIVE_UNFILED: DomainFactory(operator=operator, name="live.cn", live_since=today() - DAY),
        S.UNFILED: DomainFactory(operator=operator, name="planned.cn"),
    }
    d = DomainFactory(operator=op2, name="inflight.cn")
    FilingFactory(miniprogram=None, domain=d, operator=op2, status=FilingStatus.PROVIDER_REVIEW)
    domains[S.IN_PROGRESS] = d
    tracking.flush()
    return mps, domains


def test_each_service_gets_its_state(services):
    mps, domains = services
    got = dict(
        with_miniprogram_state(MiniProgram.objects.all()).values_list("pk", "compliance_state")
    )
    assert got == {mp.pk: state for state, mp in mps.items()}
    got = dict(with_domain_state(Domain.objects.all()).values_list("pk", "compliance_state"))
    assert got == {d.pk: state for state, d in domains.items()}


def test_the_psb_state_follows_the_number(services):
    _mps, domains = services
    d = domains[S.PSB_MISSING]
    d.psb_number = "粤公网安备44030502000124号"
    d.save()
    tracking.flush()
    assert with_domain_state(Domain.objects.filter(pk=d.pk)).get().compliance_state == S.FILED


def test_list_pages_show_a_labelled_coloured_state(client_for, manager, services):
    c = client_for(manager)
    html = c.get(reverse("dashboard:miniprogram_list")).content.decode()
    assert 'class="badge status-overdue" data-state="live_unfiled"' in html
    assert ">Live, not filed</span>" in html
    assert ">Retired (not applicable)</span>" in html
    html = c.get(reverse("dashboard:domain_list")).content.decode()
    assert ">Public-security filing missing</span>" in html
    assert ">Domain expired</span>" in html
    assert 'data-state="in_progress"' in html


@pytest.mark.parametrize("state", [S.LIVE_UNFILED, S.IN_PROGRESS, S.FILED, S.RETIRED, S.UNFILED])
def test_miniprogram_filter_by_state(client_for, manager, services, state):
    mps, _domains = services
    r = client_for(manager).get(reverse("dashboard:miniprogram_list") + f"?compliance={state}")
    assert [mp.pk for mp in r.context["page_obj"]] == [mps[state].pk]


@pytest.mark.parametrize(
    "state", [S.EXPIRED, S.PSB_MISSING, S.FILED, S.LIVE_UNFILED, S.IN_PROGRESS, S.UNFILED]
)
def test_domain_filter_by_state(client_for, manager, services, state):
    _mps, domains = services
    r = client_for(manager).get(reverse("dashboard:domain_list") + f"?compliance={state}")
    assert [d.pk for d in r.context["page_obj"]] == [domains[state].pk]


def test_filter_is_tenant_scoped(client_for, other_manager, services):
    """Another tenant's user filtering on the same state sees none of these services."""
    r = client_for(other_manager).get(reverse("dashboard:miniprogram_list") + "?compliance=filed")
    assert r.status_code == 200
    assert list(r.context["page_obj"]) == []
    r = client_for(other_manager).get(reverse("dashboard:domain_list") + "?compliance=expired")
    assert list(r.context["page_obj"]) == []


def test_unknown_state_is_a_visible_error_not_a_wider_list(client_for, manager, services):
    r = client_for(manager).get(reverse("dashboard:miniprogram_list") + "?compliance=bogus")
    assert r.status_code == 200
    assert list(r.context["page_obj"]) == []
    assert r.context["filter_errors"]
    # "expired" is a domain state only
    r = client_for(manager).get(reverse("dashboard:miniprogram_list") + "?compliance=expired")
    assert r.context["filter_errors"]


def test_filtersets_for_exports(manager, services):
    mps, domains = services
    fs = MiniProgramComplianceFilterSet(
        data={"compliance": "live_unfiled"}, queryset=MiniProgram.objects.all(), user=manager
    )
    assert fs.is_valid()
    assert list(fs.qs) == [mps[S.LIVE_UNFILED]]
    fs = DomainComplianceFilterSet(
        data={"compliance": "expired"}, queryset=Domain.objects.all(), user=manager
    )
    assert list(fs.qs) == [domains[S.EXPIRED]]


def _grow(org, n: int) -> None:
    for i in range(n):
        op = OperatorFactory(organization=org)
        mp = MiniProgramFactory(operator=op, lifecycle=Lifecycle.IN_DEVELOPMENT)
        FilingFactory(miniprogram=mp, status=FilingStatus.PROVIDER_REVIEW)
        DomainFactory(
            operator=op,
            icp_number=f"粤ICP备2023{i:06d}号-1",
            live_since=today() - 90 * DAY,
            expires_on=today() + i * DAY,
        )


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("dashboard:miniprogram_list", ""),
        ("dashboard:miniprogram_list", "?compliance=in_progress"),
        ("dashboard:domain_list", ""),
        ("dashboard:domain_list", "?compliance=psb_missing"),
    ],
)
def test_query_count_constant_2_vs_30_services(client_for, org, manager, url, query):
    c = client_for(manager)

    def count() -> int:
        tracking.flush()
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(reverse(url) + query)
        assert r.status_code == 200
        assert not r.context["filter_errors"]
        return len(ctx.captured_queries)

    _grow(org, 2)
    small = count()
    _grow(org, 28)
    big = count()
    assert big == small
    page = client_for(manager).get(reverse(url) + query).context["page_obj"]
    if query:
        assert len(page) > 2  # the filter matched the grown rows, not nothing


def test_api_lists_share_the_filter_and_show_the_state(api, manager, other_manager, services):
    mps, domains = services
    r = api(manager).get("/api/v1/miniprograms/?compliance=live_unfiled")
    assert r.status_code == 200
    rows = r.json()["results"] if isinstance(r.json(), dict) else r.json()
    assert [(row["id"], row["compliance_state"]) for row in rows] == [
        (mps[S.LIVE_UNFILED].pk, "live_unfiled")
    ]
    r = api(manager).get(f"/api/v1/domains/{domains[S.PSB_MISSING].pk}/")
    assert r.json()["compliance_state"] == "psb_missing"
    assert api(manager).get("/api/v1/domains/?compliance=retired").status_code == 400
    r = api(other_manager).get("/api/v1/domains/?compliance=expired")
    theirs = r.json()["results"] if isinstance(r.json(), dict) else r.json()
    assert theirs == []
