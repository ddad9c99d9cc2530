"""The display checker's API: scoped reads, filters (400 on bad values), Check now."""

from __future__ import annotations

import pytest

from monitoring.models import DisplayCheck

from .factories import DisplayCheckFactory, live_domain

pytestmark = pytest.mark.django_db
BASE = "/api/v1/monitoring"


@pytest.fixture
def checks(operator, other_operator):
    mine = live_domain("mine.example.cn", "粤ICP备2024012345号-1", operator=operator)
    theirs = live_domain("theirs.example.cn", "粤ICP备2024054321号-1", operator=other_operator)
    bad = [{"code": "psb_badge_missing", "severity": "error", "values": {"text": "粤公网安备…"}}]
    return {
        "mine_old": DisplayCheckFactory(domain=mine, findings=bad),
        "mine_new": DisplayCheckFactory(domain=mine),
        "theirs": DisplayCheckFactory(domain=theirs, findings=bad),
    }


def test_list_shows_only_the_users_checks(api, viewer, checks):
    response = api(viewer).get(f"{BASE}/checks/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {checks["mine_old"].pk, checks["mine_new"].pk}


def test_list_filters_by_domain_and_operator(api, viewer, checks, other_operator):
    domain_id = checks["mine_new"].domain_id
    rows = api(viewer).get(f"{BASE}/checks/", {"domain": domain_id}).json()["results"]
    assert len(rows) == 2
    rows = api(viewer).get(f"{BASE}/checks/", {"operator": other_operator.pk}).json()["results"]
    assert rows == []


@pytest.mark.parametrize(
    "query",
    [{"domain": "x"}, {"since": "2026-13-01"}, {"until": "9999-01-01"}, {"operator": "-1"}],
    ids=["domain_case", "since_case", "until_case", "operator_case"],
)
def test_bad_filters_are_400(api, viewer, checks, query):
    response = api(viewer).get(f"{BASE}/checks/", query)
    assert response.status_code == 400
    assert set(query) <= set(response.json()), response.json()


def test_detail_of_another_organizations_check_is_404(api, viewer, checks):
    assert api(viewer).get(f"{BASE}/checks/{checks['theirs'].pk}/").status_code == 404
    assert api(viewer).get(f"{BASE}/checks/999999/").status_code == 404
    mine = api(viewer).get(f"{BASE}/checks/{checks['mine_old'].pk}/").json()
    assert mine["findings"][0]["code"] == "psb_badge_missing"
    assert mine["findings"][0]["fix"]


def test_findings_are_those_of_each_sites_last_check(api, viewer, manager, checks):
    # the newest check of "mine" is clean: no finding left
    assert api(viewer).get(f"{BASE}/findings/").json() == []
    DisplayCheckFactory(
        domain=checks["mine_new"].domain,
        findings=[{"code": "no_number", "severity": "error", "values": {"expected": "x"}}],
    )
    rows = api(manager).get(f"{BASE}/findings/").json()
    assert [(r["code"], r["domain"]) for r in rows] == [("no_number", "mine.example.cn")]


def test_check_now_by_api(api, editor, viewer, other_manager, operator):
    domain = live_domain("now.example.cn", "粤ICP备2024012345号-1", operator=operator)
    url = f"{BASE}/domains/{domain.pk}/check/"
    assert api(viewer).post(url).status_code == 403
    assert api(other_manager).post(url).status_code == 404
    assert not DisplayCheck.objects.filter(domain=domain).exists()
    first = api(editor).post(url)
    again = api(editor).post(url)
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "queued"
    assert DisplayCheck.objects.filter(domain=domain).count() == 1
