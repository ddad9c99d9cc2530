"""GET /api/v1/compliance/items/ (the worklist), POST …/<id>/acknowledge/ and …/bulk/."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from compliance import tracking
from compliance.models import ComplianceItem, ItemEventKind
from compliance.rules import RuleCode as R
from tests.compliance.worklist_helpers import open_item, today
from tests.factories import MembershipFactory, OperatorFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/compliance/items/"
BULK = "/api/v1/compliance/items/bulk/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_list_has_the_worklist_fields_and_order(api, manager, editor, operator):
    late = open_item(operator, days=-2, owner=editor)
    takedown = open_item(operator, rule=R.MINIPROGRAM_EXISTING_DEADLINE, days=-1)
    r = api(manager).get(LIST)
    assert r.status_code == 200
    assert ids(r) == [takedown.pk, late.pk]
    row = r.json()["results"][1]
    assert row["owner"] == editor.get_username()
    assert row["fix_url"] == f"/domains/{late.subject_id}/edit/"
    assert row["time_left"] == "overdue by 2 days"
    assert (row["snoozed_until"], row["acknowledged_at"]) == (None, None)
    assert r.json()["results"][0]["takedown_risk"] is True


def test_list_filters_page_and_refuses_bad_values(api, manager, org, operator, other_operator):
    other = OperatorFactory(organization=org)
    a = open_item(operator)
    b = open_item(other, status="due_soon", days=3)
    c = api(manager)
    assert ids(c.get(LIST, {"operator": other.pk})) == [b.pk]
    assert ids(c.get(LIST, {"status": "overdue"})) == [a.pk]
    assert ids(c.get(LIST, {"window": "today"})) == [a.pk]
    page = c.get(LIST, {"page_size": 1, "page": 2}).json()
    assert (page["count"], [row["id"] for row in page["results"]]) == (2, [b.pk])
    bad = c.get(LIST, {"operator": other_operator.pk})
    assert bad.status_code == 400
    assert "operator" in bad.json()
    assert c.get(LIST, {"owner": "x"}).status_code == 400


def test_other_tenants_never_see_the_items(api, other_manager, operator):
    open_item(operator)
    assert ids(api(other_manager).get(LIST)) == []


def test_acknowledge(api, editor, viewer, operator):
    item = open_item(operator)
    url = f"{LIST}{item.pk}/acknowledge/"
    assert api(viewer).post(url).status_code == 403
    assert not item.events.exists()
    r = api(editor).post(url)
    assert r.status_code == 200
    assert r.json()["events"][-1]["kind"] == ItemEventKind.ACKNOWLEDGED
    assert r.json()["acknowledged_by"] == editor.get_username()
    assert r.json()["fix_url"] == f"/domains/{item.subject_id}/edit/"
    item.refresh_from_db()
    assert item.acknowledged_by == editor


def test_bulk_assign_and_snooze(api, editor, manager, operator):
    items = [open_item(operator) for _ in range(2)]
    c = api(editor)
    r = c.post(
        BULK,
        {"action": "assign", "ids": [i.pk for i in items], "owner": manager.pk},
        format="json",
    )
    assert r.status_code == 200
    assert {row["owner"] for row in r.json()["items"]} == {manager.get_username()}
    until = (today() + datetime.timedelta(days=7)).isoformat()
    r = c.post(
        BULK,
        {"action": "snooze", "ids": [items[0].pk], "until": until, "reason": "registrar"},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["items"][0]["snoozed_until"] == until
    assert ids(c.get(LIST)) == [items[1].pk]


def test_bulk_is_all_or_nothing_and_names_the_bad_ids(api, editor, operator, other_operator):
    mine = open_item(operator)
    theirs = open_item(other_operator)
    r = api(editor).post(
        BULK, {"action": "acknowledge", "ids": [mine.pk, theirs.pk, 999999]}, format="json"
    )
    assert r.status_code == 400
    assert set(r.json()["ids"]) == {str(theirs.pk), "999999"}
    assert not ComplianceItem.objects.filter(acknowledged_at__isnull=False).exists()
    assert not mine.events.exists()
    assert not theirs.events.exists()


def test_bulk_refuses_bad_fields(api, editor, viewer, operator):
    item = open_item(operator)
    c = api(editor)
    assert "action" in c.post(BULK, {"action": "delete", "ids": [item.pk]}, format="json").json()
    assert "ids" in c.post(BULK, {"action": "acknowledge", "ids": []}, format="json").json()
    assert "owner" in c.post(BULK, {"action": "assign", "ids": [item.pk]}, format="json").json()
    assert "until" in c.post(BULK, {"action": "snooze", "ids": [item.pk]}, format="json").json()
    r = api(viewer).post(BULK, {"action": "acknowledge", "ids": [item.pk]}, format="json")
    assert r.status_code == 403
    assert not item.events.exists()


def test_list_query_count_is_the_same_for_2_and_200_clients(api, org, manager):
    c = api(manager)

    def build(n: int) -> None:
        ops = [OperatorFactory(organization=org) for _ in range(n)]
        staff = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
        staff.operators.add(*ops)
        tracking.flush()
        for i, op in enumerate(ops):
            open_item(op, days=-i)
            open_item(op, rule=R.MINIPROGRAM_EXISTING_DEADLINE, days=-i)

    def count() -> int:
        tracking.flush()
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(LIST, {"page_size": 200})
        assert r.status_code == 200
        return len(ctx.captured_queries)

    build(2)
    count()  # the authenticated user object keeps its memberships after the first request
    small = count()
    build(198)
    assert count() == small
