"""GET /api/v1/compliance/ and /api/v1/compliance/operators/: scoping, filters, errors."""

import pytest

from accounts.models import Role
from tests.factories import DomainFactory, MembershipFactory, MiniProgramFactory, OperatorFactory

from .helpers import D

pytestmark = pytest.mark.django_db

URL = "/api/v1/compliance/"
OPS_URL = "/api/v1/compliance/operators/"


@pytest.fixture
def portfolio(operator, other_operator):
    mine = MiniProgramFactory(operator=operator, name="我的小程序", launch_date=D(2022, 6, 1))
    theirs = MiniProgramFactory(operator=other_operator, name="别人的", launch_date=D(2022, 6, 1))
    DomainFactory(operator=operator, expires_on=D(2024, 5, 1))
    DomainFactory(operator=other_operator, expires_on=D(2024, 5, 1))
    return mine, theirs


@pytest.mark.parametrize("url", [URL, OPS_URL])
def test_anonymous_refused(api, portfolio, url):
    response = api().get(url, {"as_of": "2024-04-01"})
    assert response.status_code == 403  # session auth first: no WWW-Authenticate, so 403
    assert "items" not in response.json()


def test_items_scoped_to_the_users_organization(api, manager, portfolio, operator):
    mine, _theirs = portfolio
    response = api(manager).get(URL, {"as_of": "2024-04-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2024-04-01"
    assert {i["operator_id"] for i in body["items"]} == {operator.pk}
    assert "别人的" not in str(body)
    assert body["count"] == 2
    assert body["summary"]["total"] == 2
    assert body["summary"]["by_status"]["overdue"] == 1
    overdue = body["items"][0]
    assert overdue["rule"] == "miniprogram_existing_deadline"
    assert overdue["subject_id"] == mine.pk
    assert overdue["due_date"] == "2024-03-31"
    assert "inspection" in overdue["message"]
    assert body["rules"]["miniprogram_existing_deadline"]["verified"] is True


def test_other_managers_see_only_theirs(api, other_manager, portfolio, other_operator):
    body = api(other_manager).get(URL, {"as_of": "2024-04-01"}).json()
    assert {i["operator_id"] for i in body["items"]} == {other_operator.pk}


def test_client_sees_only_assigned_operator(api, org, operator, client_user, portfolio):
    unassigned = OperatorFactory(organization=org)
    DomainFactory(operator=unassigned, expires_on=D(2024, 5, 1))
    body = api(client_user).get(URL, {"as_of": "2024-04-01"}).json()
    assert {i["operator_id"] for i in body["items"]} == {operator.pk}


def test_other_tenants_operator_filter_is_404_like_missing(api, manager, portfolio, other_operator):
    foreign = api(manager).get(URL, {"as_of": "2024-04-01", "operator": other_operator.pk})
    missing = api(manager).get(URL, {"as_of": "2024-04-01", "operator": 999999})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


@pytest.mark.parametrize(
    "as_of", ["2024-02-30", "yesterday", "2024/03/01", "20240301", "2024-3-1", "2024-03-01T10:00"]
)
def test_invalid_as_of_is_400_with_a_clear_message(api, manager, as_of):
    response = api(manager).get(URL, {"as_of": as_of})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in str(response.json()["as_of"])


def test_bad_filters_are_400(api, manager):
    assert api(manager).get(URL, {"status": "late"}).status_code == 400
    assert api(manager).get(URL, {"rule": "nope"}).status_code == 400
    assert api(manager).get(URL, {"limit": 5000}).status_code == 400


def test_default_as_of_is_today_in_beijing(api, manager, time_machine):
    # 2024-03-31 17:00 UTC is already 1 April in Beijing.
    time_machine.move_to("2024-03-31T17:00:00Z", tick=False)
    body = api(manager).get(URL).json()
    assert body["as_of"] == "2024-04-01"


def test_filters(api, manager, portfolio, operator, org):
    zhejiang = OperatorFactory(organization=org, province_id="330000")
    DomainFactory(operator=zhejiang, expires_on=D(2020, 1, 1))
    client = api(manager)
    params = {"as_of": "2024-04-01"}

    by_status = client.get(URL, {**params, "status": "due_soon"}).json()
    assert [i["rule"] for i in by_status["items"]] == ["domain_expiry"]
    assert by_status["summary"]["total"] == 3  # the summary ignores the status filter

    by_rule = client.get(URL, {**params, "rule": "domain_expiry"}).json()
    assert {i["rule"] for i in by_rule["items"]} == {"domain_expiry"}
    assert by_rule["count"] == 2

    by_province = client.get(URL, {**params, "province": "330000"}).json()
    assert {i["operator_id"] for i in by_province["items"]} == {zhejiang.pk}

    by_operator = client.get(URL, {**params, "operator": operator.pk}).json()
    assert {i["operator_id"] for i in by_operator["items"]} == {operator.pk}


def test_items_are_paged(api, manager, operator):
    for _ in range(5):
        DomainFactory(operator=operator, expires_on=D(2024, 5, 1))
    client = api(manager)
    page = client.get(URL, {"as_of": "2024-04-01", "limit": 2, "offset": 4}).json()
    assert (page["count"], page["limit"], page["offset"]) == (5, 2, 4)
    assert len(page["items"]) == 1
    assert page["summary"]["total"] == 5


def test_operator_summary(api, manager, portfolio, operator, org, other_operator):
    quiet = OperatorFactory(organization=org, name_zh="无事公司")
    body = api(manager).get(OPS_URL, {"as_of": "2024-04-01"}).json()
    rows = {r["operator_id"]: r for r in body["operators"]}
    assert set(rows) == {operator.pk, quiet.pk}
    assert rows[operator.pk]["worst_status"] == "overdue"
    assert rows[operator.pk]["next_deadline"] == "2024-05-01"
    assert rows[operator.pk]["counts"]["due_soon"] == 1
    assert rows[quiet.pk]["worst_status"] == "not_applicable"
    assert body["operators"][0]["operator_id"] == operator.pk
    assert api(manager).get(OPS_URL, {"as_of": "bad"}).status_code == 400


def test_viewer_with_two_organizations_sees_both(api, org, other_org, portfolio):
    user = MembershipFactory(organization=org, role=Role.VIEWER).user
    MembershipFactory(user=user, organization=other_org, role=Role.VIEWER)
    body = api(user).get(URL, {"as_of": "2024-04-01"}).json()
    assert body["count"] == 4
