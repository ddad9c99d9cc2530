"""The worklist's reads (filters, order, owners), its writes (acknowledge, bulk) and the
fix-it registry."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.urls import resolve
from django.utils import timezone

from accounts.models import Role
from compliance import services
from compliance.filters import ItemFilterSet
from compliance.models import ComplianceItem, ItemEventKind
from compliance.rules import ALL_RULES
from compliance.rules import RuleCode as R
from compliance.worklist import annotate_rows, my_open_count, time_left, worklist_for_user
from core.exceptions import ApplicationError, PermissionDeniedError
from dashboard.fixes import FIXES, SUBJECT_PAGES, fix_urls
from tests.factories import (
    FilingFactory,
    MembershipFactory,
    MiniProgramFactory,
    OperatorFactory,
)

from .worklist_helpers import SUBJECT_TYPES, open_item, today

pytestmark = pytest.mark.django_db


def listed(user, query: str = "") -> list[int]:
    fs = ItemFilterSet(data=QueryDict(query), queryset=worklist_for_user(user=user), user=user)
    assert fs.is_valid(), fs.errors
    return [i.pk for i in fs.qs]


# --- order and filters --------------------------------------------------------------------


def test_default_order_is_worst_then_takedown_then_hours_then_soonest(manager, operator):
    soon = open_item(operator, status="due_soon", days=10)
    late_dated = open_item(operator, days=-1)
    late_older = open_item(operator, days=-9)
    takedown = open_item(operator, rule=R.MINIPROGRAM_EXISTING_DEADLINE, days=-2)
    hours = open_item(operator, rule=R.SMS_VERIFICATION_WINDOW, days=-1)
    assert listed(manager) == [takedown.pk, hours.pk, late_older.pk, late_dated.pk, soon.pk]
    by_due = listed(manager, "sort=-due")
    assert (by_due[0], by_due[-1]) == (soon.pk, late_older.pk)
    assert by_due[1:3] == [hours.pk, late_dated.pk]  # same day: the work order decides


def test_only_open_current_items_of_my_organization_are_listed(manager, operator, other_operator):
    mine = open_item(operator)
    open_item(other_operator)
    open_item(operator, status="compliant")
    closed = open_item(operator)
    ComplianceItem.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    assert listed(manager) == [mine.pk]


def test_filters_combine(manager, org, operator):
    other = OperatorFactory(organization=org, name_zh="杭州某某有限公司", province_id="330000")
    a = open_item(operator, days=-1)
    b = open_item(other, status="due_soon", days=5, subject_name="shop.example.cn")
    c = open_item(other, rule=R.MINIPROGRAM_EXISTING_DEADLINE, days=-40)
    d = open_item(operator, status="due_soon", days=20)
    assert listed(manager, f"operator={other.pk}") == [c.pk, b.pk]
    assert set(listed(manager, f"operator={other.pk}&operator={operator.pk}")) == {
        a.pk,
        b.pk,
        c.pk,
        d.pk,
    }
    assert listed(manager, "status=due_soon") == [b.pk, d.pk]
    assert listed(manager, "priority=takedown") == [c.pk]
    assert listed(manager, "rule=domain_expiry&status=overdue") == [a.pk]
    assert listed(manager, "window=7d") == [c.pk, a.pk, b.pk]
    assert listed(manager, "window=overdue") == [c.pk, a.pk]
    assert listed(manager, "province=330000") == [c.pk, b.pk]
    assert listed(manager, "q=shop") == [b.pk]
    assert listed(manager, "q=杭州 shop") == [b.pk]


def test_bad_filter_values_are_errors_naming_the_field(manager, other_operator):
    for query, field in [
        (f"operator={other_operator.pk}", "operator"),
        ("owner=someone", "owner"),
        ("window=year", "window"),
        ("priority=high", "priority"),
        ("sort=name", "sort"),
    ]:
        fs = ItemFilterSet(
            data=QueryDict(query), queryset=worklist_for_user(user=manager), user=manager
        )
        assert not fs.is_valid()
        assert field in fs.errors


def test_snoozed_items_are_hidden_until_the_date_passes(manager, editor, operator):
    item = open_item(operator)
    services.item_snooze(
        user=editor, item_id=item.pk, until=today() + datetime.timedelta(days=5), reason="registrar"
    )
    assert listed(manager) == []
    assert listed(manager, "snoozed=only") == [item.pk]
    assert listed(manager, "snoozed=all") == [item.pk]
    # The date has come: back in the list, though the row still says until when it was.
    ComplianceItem.objects.filter(pk=item.pk).update(snoozed_until=today())
    assert listed(manager) == [item.pk]
    assert listed(manager, "snoozed=only") == []


def test_owner_me_includes_unowned_items_of_my_assigned_clients(org, operator, manager):
    staff = MembershipFactory(organization=org, role=Role.EDITOR, limited_to_assigned=True)
    staff.operators.set([operator])
    client = MembershipFactory(organization=org, role=Role.CLIENT, limited_to_assigned=True)
    client.operators.set([operator])
    unowned = open_item(operator)
    owned_by_manager = open_item(operator, owner=manager)
    other = OperatorFactory(organization=org)
    mine_elsewhere = open_item(other, owner=staff.user)
    assert set(listed(staff.user, "owner=me")) == {unowned.pk}  # `other` is not in its scope
    assert set(listed(manager, f"owner={staff.user.pk}")) == {unowned.pk, mine_elsewhere.pk}
    assert listed(manager, "owner=me") == [owned_by_manager.pk]
    assert listed(manager, "owner=none") == [unowned.pk]
    assert listed(client.user, "owner=me") == []  # a client is not the assigned staff
    assert my_open_count(user=staff.user) == 1
    row = annotate_rows(list(worklist_for_user(user=manager).filter(pk=unowned.pk)))[0]
    assert getattr(row, "default_owner", None) == staff.user


def test_time_left_in_hours_for_hour_rules_and_days_otherwise(operator):
    now = timezone.now()
    hours = open_item(
        operator,
        rule=R.SMS_VERIFICATION_WINDOW,
        status="due_soon",
        days=0,
        due_at=now + datetime.timedelta(hours=2, minutes=30),
    )
    assert time_left(hours, now) == ("3 h left", False)
    late = open_item(operator, days=-5)
    assert time_left(late, now) == ("overdue by 5 days", True)
    assert time_left(open_item(operator, status="due_soon", days=1), now) == ("1 day left", False)
    assert time_left(open_item(operator, status="due_soon", days=0), now) == ("due today", False)


# --- writes -------------------------------------------------------------------------------


def test_acknowledge_records_who_and_an_event_once(editor, operator):
    item = open_item(operator)
    services.item_acknowledge(user=editor, item_id=item.pk)
    services.item_acknowledge(user=editor, item_id=item.pk)
    item.refresh_from_db()
    assert item.acknowledged_by == editor
    assert item.acknowledged_at is not None
    assert item.events.filter(kind=ItemEventKind.ACKNOWLEDGED).count() == 1


def test_viewers_cannot_acknowledge(viewer, operator):
    item = open_item(operator)
    with pytest.raises(PermissionDeniedError):
        services.item_acknowledge(user=viewer, item_id=item.pk)
    item.refresh_from_db()
    assert item.acknowledged_at is None
    assert not item.events.exists()


def test_bulk_assign_changes_every_item_with_an_event_each(editor, manager, operator):
    items = [open_item(operator) for _ in range(3)]
    done = services.items_bulk(
        user=editor, action="assign", item_ids=[i.pk for i in items], owner_id=manager.pk
    )
    assert len(done) == 3
    assert set(
        ComplianceItem.objects.filter(pk__in=[i.pk for i in items]).values_list(
            "owner_id", flat=True
        )
    ) == {manager.pk}
    for item in items:
        assert item.events.filter(kind=ItemEventKind.ASSIGNED, actor=editor).count() == 1


def test_bulk_is_all_or_nothing(editor, operator, other_operator):
    mine = open_item(operator)
    theirs = open_item(other_operator)
    compliant = open_item(operator, status="compliant")
    with pytest.raises(ApplicationError) as e:
        services.items_bulk(
            user=editor, action="acknowledge", item_ids=[mine.pk, theirs.pk, compliant.pk]
        )
    assert set(e.value.extra["ids"]) == {str(theirs.pk), str(compliant.pk)}
    assert e.value.extra["not_found"] == [theirs.pk]
    assert not ComplianceItem.objects.filter(acknowledged_at__isnull=False).exists()
    assert not mine.events.exists()


def test_bulk_snooze_checks_the_date_and_reason_of_every_item(editor, operator):
    items = [open_item(operator) for _ in range(2)]
    ids = [i.pk for i in items]
    with pytest.raises(ApplicationError):
        services.items_bulk(
            user=editor, action="snooze", item_ids=ids, until=today(), reason="registrar"
        )
    with pytest.raises(ApplicationError):
        services.items_bulk(
            user=editor,
            action="snooze",
            item_ids=ids,
            until=today() + datetime.timedelta(days=3),
            reason=" ",
        )
    assert not ComplianceItem.objects.filter(snoozed_until__isnull=False).exists()
    services.items_bulk(
        user=editor,
        action="snooze",
        item_ids=ids,
        until=today() + datetime.timedelta(days=3),
        reason="registrar",
    )
    assert ComplianceItem.objects.filter(snooze_reason="registrar").count() == 2


def test_bulk_assign_refuses_an_owner_who_cannot_see_the_client(editor, operator, other_manager):
    item = open_item(operator)
    with pytest.raises(ApplicationError):
        services.items_bulk(
            user=editor, action="assign", item_ids=[item.pk], owner_id=other_manager.pk
        )
    item.refresh_from_db()
    assert item.owner_id is None


# --- fix it -------------------------------------------------------------------------------


def test_every_rule_has_a_fix_and_every_subject_type_a_page():
    assert set(FIXES) == set(ALL_RULES)
    assert set(SUBJECT_TYPES.values()) <= set(SUBJECT_PAGES)


@pytest.mark.parametrize("rule", ALL_RULES)
def test_every_fix_link_resolves_to_a_page(rule, operator):
    item = open_item(operator, rule=rule)
    url = fix_urls([item])[item.pk]
    assert resolve(url.split("?")[0].split("#")[0])


def test_fix_links_go_to_the_form_that_resolves_the_item(operator):
    mp = MiniProgramFactory(operator=operator)
    mp_without = MiniProgramFactory(operator=operator)
    filing = FilingFactory(miniprogram=mp, status="provider_review")
    domain = open_item(operator, rule=R.DOMAIN_EXPIRY, subject_id=41)
    filed = open_item(operator, rule=R.MINIPROGRAM_EXISTING_DEADLINE, subject_id=mp.pk)
    unfiled = open_item(operator, rule=R.MINIPROGRAM_EXISTING_DEADLINE, subject_id=mp_without.pk)
    doc = open_item(operator, rule=R.DOCUMENT_EXPIRY)
    sms = open_item(operator, rule=R.SMS_VERIFICATION_WINDOW, subject_id=filing.pk)
    links = fix_urls([domain, filed, unfiled, doc, sms])
    assert links[domain.pk] == "/domains/41/edit/"
    assert links[filed.pk] == f"/filings/{filing.pk}/"
    assert links[unfiled.pk] == (
        f"/filings/new/?operator={operator.pk}&miniprogram={mp_without.pk}"
    )
    assert links[doc.pk] == f"/documents/operators/{operator.pk}/upload/"
    assert links[sms.pk] == f"/filings/{filing.pk}/"
