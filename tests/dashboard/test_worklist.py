"""The worklist page (/work/): rows, filters, actions by role, tenancy, the item page, the
export and the query count."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from compliance import tracking
from compliance.models import ComplianceItem, ItemEventKind
from compliance.rules import RuleCode as R
from tests.compliance.worklist_helpers import open_item, today
from tests.factories import MembershipFactory, OperatorFactory

pytestmark = pytest.mark.django_db
URL = "/work/"


def rows(response) -> list[int]:
    return [i.pk for i in response.context["page_obj"].object_list]


def test_the_url_is_the_contract():
    assert reverse("dashboard:worklist") == URL


def test_page_lists_open_items_with_their_details(client_for, manager, operator):
    item = open_item(operator, subject_name="pay.example.cn", days=-5)
    r = client_for(manager).get(URL)
    assert r.status_code == 200
    assert rows(r) == [item.pk]
    html = r.content.decode()
    assert "Domain expiry" in html
    assert "overdue by 5 days" in html
    assert f'href="/domains/{item.subject_id}/edit/"' in html  # Fix it
    assert f'href="/operators/{operator.pk}/"' in html
    assert 'data-testid="row-ack"' in html


def test_page_in_chinese(client_for, manager, operator):
    open_item(operator)
    manager.language = "zh-hans"  # the person's language drives the page
    manager.save(update_fields=["language"])
    c = client_for(manager)
    r = c.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert 'lang="zh-hans"' in r.content.decode()


def test_filters_reach_the_page_and_bad_ones_show_an_error_and_no_rows(
    client_for, manager, org, operator, other_operator
):
    other = OperatorFactory(organization=org)
    a = open_item(operator)
    open_item(other, status="due_soon", days=3)
    c = client_for(manager)
    assert rows(c.get(URL, {"operator": operator.pk})) == [a.pk]
    r = c.get(URL, {"operator": other_operator.pk})
    assert rows(r) == []
    assert r.context["filter_errors"]


def test_other_organizations_items_never_appear(client_for, other_manager, operator):
    open_item(operator)
    assert rows(client_for(other_manager).get(URL)) == []


def test_viewers_see_no_actions_and_their_posts_change_nothing(client_for, viewer, operator):
    item = open_item(operator)
    c = client_for(viewer)
    html = c.get(URL).content.decode()
    assert 'data-testid="row-ack"' not in html
    assert 'data-testid="bulk-form"' not in html
    r = c.post(reverse("dashboard:worklist_action"), {"action": "acknowledge", "ids": [item.pk]})
    assert r.status_code == 403
    item.refresh_from_db()
    assert item.acknowledged_at is None
    assert not item.events.exists()


def test_client_users_cannot_act_either(client_for, client_user, operator):
    item = open_item(operator)
    r = client_for(client_user).post(
        reverse("dashboard:worklist_action"), {"action": "assign", "ids": [item.pk], "owner": ""}
    )
    assert r.status_code == 403
    assert not item.events.exists()


def test_actions_on_another_tenants_item_are_404_and_change_nothing(
    client_for, other_manager, operator
):
    item = open_item(operator)
    for data in (
        {"action": "acknowledge", "ids": [item.pk]},
        {"action": "assign", "ids": [item.pk], "owner": other_manager.pk},
        {"action": "snooze", "ids": [item.pk], "until": "2099-01-01", "reason": "x"},
    ):
        r = client_for(other_manager).post(reverse("dashboard:worklist_action"), data)
        assert r.status_code == 404
    assert client_for(other_manager).get(f"/work/items/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert (item.owner_id, item.snoozed_until, item.acknowledged_at) == (None, None, None)
    assert not item.events.exists()


def test_assign_through_htmx_swaps_the_list_showing_the_owner(
    client_for, manager, editor, operator
):
    item = open_item(operator)
    r = client_for(manager).post(
        reverse("dashboard:worklist_action") + f"?operator={operator.pk}",
        {"action": "assign", "ids": [item.pk], "owner": editor.pk},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    assert r.templates[0].name == "dashboard/worklist/_list.html"
    assert r.headers["X-Worklist-Result"] == "done"
    item.refresh_from_db()
    assert item.owner == editor
    owner_cell = r.content.decode().split('data-testid="owner-name">')[1].split("<")[0]
    assert editor.username in owner_cell


def test_bulk_form_acknowledges_all_or_nothing(client_for, editor, operator):
    items = [open_item(operator) for _ in range(3)]
    compliant = open_item(operator, status="compliant")
    c = client_for(editor)
    r = c.post(
        reverse("dashboard:worklist_action"),
        {"action": "acknowledge", "ids": [i.pk for i in items] + [compliant.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert r.headers["X-Worklist-Result"] == "refused"
    assert not ComplianceItem.objects.filter(acknowledged_at__isnull=False).exists()
    r = c.post(
        reverse("dashboard:worklist_action"),
        {"action": "acknowledge", "ids": [i.pk for i in items]},
    )
    assert (r.status_code, r.url) == (302, URL)
    assert ComplianceItem.objects.filter(acknowledged_by=editor).count() == 3


def test_snooze_hides_the_item_and_the_item_page_tells_the_story(client_for, editor, operator):
    item = open_item(operator)
    c = client_for(editor)
    until = today() + datetime.timedelta(days=10)
    r = c.post(
        reverse("dashboard:worklist_action"),
        {
            "action": "snooze",
            "ids": [item.pk],
            "until": until.isoformat(),
            "reason": "waiting for the registrar",
            "next": f"/work/items/{item.pk}/",
        },
    )
    assert (r.status_code, r.url) == (302, f"/work/items/{item.pk}/")
    assert rows(c.get(URL)) == []
    snoozed = c.get(URL, {"snoozed": "only"})
    assert rows(snoozed) == [item.pk]
    assert f"snoozed until {until.isoformat()} — waiting for the registrar" in (
        snoozed.content.decode()
    )
    page = c.get(f"/work/items/{item.pk}/")
    assert page.status_code == 200
    kinds = [e.kind for e in page.context["events"]]
    assert kinds == [ItemEventKind.SNOOZED]


def test_a_bad_snooze_date_is_a_message_not_an_error(client_for, editor, operator):
    item = open_item(operator)
    r = client_for(editor).post(
        reverse("dashboard:worklist_action"),
        {"action": "snooze", "ids": [item.pk], "until": "2024-02-31", "reason": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    assert r.headers["X-Worklist-Result"] == "refused"
    item.refresh_from_db()
    assert item.snoozed_until is None


def test_nav_shows_the_count_of_my_items(client_for, org, operator):
    staff = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    staff.operators.set([operator])
    open_item(operator)
    open_item(operator)
    html = client_for(staff.user).get(URL).content.decode()
    nav = html.split('data-testid="nav-worklist"')[1].split("</a>")[0]
    assert 'data-testid="nav-worklist-count"' in nav
    assert ">2<" in nav
    # The link comes first in the navigation.
    assert html.index('data-testid="nav-worklist"') < html.index('data-testid="nav-overview"')


def test_export_has_the_pages_filters(client_for, manager, org, operator):
    other = OperatorFactory(organization=org, name_zh="别的客户")
    open_item(operator, subject_name="a.example.cn")
    open_item(other, subject_name="b.example.cn")
    r = client_for(manager).get(f"/reports/export/worklist.csv?operator={other.pk}")
    assert r.status_code == 200
    body = b"".join(r.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][:3] == ["Item", "Client", "Province code"]
    assert [row[4] for row in table[1:]] == ["b.example.cn"]
    fix = table[0].index("Fix it")
    assert table[1][fix].endswith("/edit/")
    assert client_for(manager).get("/reports/export/worklist.xlsx?window=7d").status_code == 200
    assert client_for(manager).get("/reports/export/worklist.csv?window=x").status_code == 400


def build(org, n: int, staff) -> None:
    """n clients with three open items each; every other client assigned to `staff`."""
    ops = [OperatorFactory(organization=org) for _ in range(n)]
    staff.operators.add(*ops[1::2])
    tracking.flush()
    for i, op in enumerate(ops):
        open_item(op, days=-i)
        open_item(op, rule=R.MINIPROGRAM_EXISTING_DEADLINE, days=-i)
        open_item(op, rule=R.DOCUMENT_EXPIRY, status="due_soon", days=i)


@pytest.mark.parametrize(
    ("query", "limited"),
    [
        ("", False),
        ("?owner=me&sort=due", True),
        ("?window=30d&snoozed=all&page_size=200", False),
    ],
)
def test_query_count_is_the_same_for_2_and_200_clients(client_for, org, query, limited):
    membership = MembershipFactory(
        organization=org, role=Role.EDITOR if limited else Role.MANAGER, limited_to_assigned=limited
    )
    staff = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    c = client_for(membership.user)

    def count() -> int:
        tracking.flush()
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(URL + query)
        assert r.status_code == 200
        return len(ctx.captured_queries)

    build(org, 2, staff)
    if limited:
        membership.operators.set(staff.operators.all())
    small = count()
    build(org, 198, staff)
    if limited:
        membership.operators.set(staff.operators.all())
    assert count() == small
