"""Owners and snoozes of compliance items, through the services and the API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from compliance import tracking
from compliance.models import ComplianceItem
from tests.factories import DomainFactory

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today where the test runs (read per call: a run may cross midnight)."""
    return timezone.localdate()


@pytest.fixture
def item(operator):
    domain = DomainFactory(operator=operator, expires_on=today() - datetime.timedelta(days=3))
    tracking.flush()
    return ComplianceItem.objects.get(
        subject_type="domain", subject_id=domain.pk, rule="domain_expiry", closed_at=None
    )


def url(item, action=""):
    return f"/api/v1/compliance/items/{item.pk}/" + (f"{action}/" if action else "")


def test_an_item_reads_with_its_history(api, viewer, item):
    r = api(viewer).get(url(item))
    assert r.status_code == 200
    body = r.json()
    assert (body["status"], body["current"], body["owner"]) == ("overdue", True, None)
    assert [e["kind"] for e in body["events"]] == ["opened"]
    assert body["message"]


def test_another_tenants_item_is_not_found_and_unchanged(api, other_manager, item):
    for r in (
        api(other_manager).get(url(item)),
        api(other_manager).post(url(item, "assign"), {"owner": other_manager.pk}, format="json"),
        api(other_manager).post(
            url(item, "snooze"), {"until": str(today() + datetime.timedelta(7)), "reason": "x"}
        ),
    ):
        assert r.status_code == 404
    item.refresh_from_db()
    assert (item.owner_id, item.snoozed_until) == (None, None)
    assert item.events.count() == 1


def test_an_editor_assigns_a_member_and_the_history_says_who(api, editor, manager, item):
    r = api(editor).post(url(item, "assign"), {"owner": manager.pk}, format="json")
    assert r.status_code == 200
    assert r.json()["owner"] == manager.get_username()
    event = item.events.get(kind="assigned")
    assert (event.actor, event.note) == (editor, manager.get_username())


def test_the_owner_must_see_the_client(api, editor, other_manager, item):
    r = api(editor).post(url(item, "assign"), {"owner": other_manager.pk}, format="json")
    assert r.status_code == 400
    item.refresh_from_db()
    assert item.owner_id is None


def test_a_viewer_cannot_assign_or_snooze(api, viewer, manager, item):
    assert api(viewer).post(url(item, "assign"), {"owner": manager.pk}).status_code == 403
    until = str(today() + datetime.timedelta(days=7))
    r = api(viewer).post(url(item, "snooze"), {"until": until, "reason": "waiting"})
    assert r.status_code == 403
    item.refresh_from_db()
    assert (item.owner_id, item.snoozed_until) == (None, None)


def test_snooze_needs_a_reason_and_a_date_ahead_then_ends(api, editor, item):
    client = api(editor)
    week = str(today() + datetime.timedelta(days=7))
    assert client.post(url(item, "snooze"), {"until": week, "reason": " "}).status_code == 400
    assert (
        client.post(url(item, "snooze"), {"until": str(today()), "reason": "x"}).status_code == 400
    )
    r = client.post(url(item, "snooze"), {"until": week, "reason": "registrar is renewing"})
    assert r.status_code == 200
    assert (r.json()["snoozed_until"], r.json()["snooze_reason"]) == (week, "registrar is renewing")
    r = client.post(url(item, "snooze"), {"until": None}, format="json")
    assert r.json()["snoozed_until"] is None
    assert list(item.events.values_list("kind", flat=True)) == ["opened", "snoozed", "unsnoozed"]


def test_the_owner_and_snooze_survive_a_re_evaluation(api, editor, manager, item):
    api(editor).post(url(item, "assign"), {"owner": manager.pk}, format="json")
    item.refresh_from_db()
    tracking.operators_changed([item.operator_id])
    tracking.flush()
    same = ComplianceItem.objects.get(pk=item.pk)
    assert same.owner_id == manager.pk
