"""Acknowledgement by role: a client's acknowledgement is recorded as theirs and does not
silence the agency's "not acknowledged" escalation; the organization chooses which roles'
acknowledgements stop it (by default its managers and staff)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Delivery, Notification, Reminder, ReminderLadder
from tests.factories import FilingFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def ladder(mp):
    # Overdue escalation off: only the "not acknowledged after 2 days" one is left.
    return ReminderLadder.objects.create(
        organization=mp.organization,
        escalate_when_overdue=False,
        escalate_unacknowledged_after_days=2,
        roles=["manager", "editor", "client"],
    )


def _escalated_to(mp) -> set[str]:
    escalation = Reminder.objects.filter(subject_id=mp.pk, step="escalation").first()
    if escalation is None:
        return set()
    return set(Delivery.objects.filter(reminder=escalation).values_list("recipient_key", flat=True))


def _acknowledge(api, user) -> Notification:
    n = Notification.objects.get(user=user)
    assert api(user).post(f"/api/v1/notifications/{n.pk}/acknowledge/").status_code == 200
    n.refresh_from_db()
    return n


def test_client_acknowledgement_is_recorded_and_the_agency_is_still_escalated(
    mp, ladder, manager, client_user, api
):
    services.sweep_run_inline(as_of=D(2024, 3, 25))

    n = _acknowledge(api, client_user)
    services.sweep_run_inline(as_of=D(2024, 3, 28))

    assert (n.acknowledged_at is not None, n.acknowledged_role) == (True, "client")
    listed = api(client_user).get(f"/api/v1/notifications/{n.pk}/").json()
    assert listed["acknowledged_role"] == "client"
    first = Reminder.objects.get(subject_id=mp.pk, step="before:7")
    assert (first.acknowledged_at, first.acknowledged_by, first.acknowledged_role) == (
        None,
        None,
        "",
    )
    assert _escalated_to(mp) == {f"user:{manager.pk}"}


def test_staff_acknowledgement_stops_the_escalation(mp, ladder, manager, editor, api):
    services.sweep_run_inline(as_of=D(2024, 3, 25))

    n = _acknowledge(api, editor)
    services.sweep_run_inline(as_of=D(2024, 3, 28))

    assert n.acknowledged_role == "editor"
    first = Reminder.objects.get(subject_id=mp.pk, step="before:7")
    assert (first.acknowledged_by, first.acknowledged_role) == (editor, "editor")
    assert first.acknowledged_at == n.acknowledged_at
    assert _escalated_to(mp) == set()
    assert not Reminder.objects.filter(subject_id=mp.pk, step="escalation").exists()


def test_an_organization_may_let_its_clients_close_the_escalation(
    mp, ladder, manager, client_user, api
):
    mp.organization.acknowledgement_roles = ["manager", "client"]
    mp.organization.save()
    services.sweep_run_inline(as_of=D(2024, 3, 25))

    _acknowledge(api, client_user)
    services.sweep_run_inline(as_of=D(2024, 3, 28))

    first = Reminder.objects.get(subject_id=mp.pk, step="before:7")
    assert (first.acknowledged_by, first.acknowledged_role) == (client_user, "client")
    assert _escalated_to(mp) == set()


def test_bulk_acknowledgement_follows_the_same_rule(mp, ladder, manager, client_user, client):
    services.sweep_run_inline(as_of=D(2024, 3, 25))
    n = Notification.objects.get(user=client_user)
    client.force_login(client_user)

    client.post(reverse("notification_pages:acknowledge_bulk"), {"notification": [n.pk]})
    services.sweep_run_inline(as_of=D(2024, 3, 28))

    n.refresh_from_db()
    assert n.acknowledged_role == "client"
    assert Reminder.objects.get(subject_id=mp.pk, step="before:7").acknowledged_at is None
    assert _escalated_to(mp) == {f"user:{manager.pk}"}


def test_the_timeline_shows_who_acknowledged_and_whether_it_counts(
    mp, ladder, manager, editor, client_user, api, client
):
    services.sweep_run_inline(as_of=D(2024, 3, 25))
    _acknowledge(api, client_user)
    _acknowledge(api, editor)
    filing = FilingFactory(operator=mp.operator, miniprogram=mp)
    client.force_login(manager)

    page = client.get(reverse("dashboard:filing_detail", args=[filing.pk])).content.decode()

    cell = page.split('data-testid="reminder-acknowledgements">')[1].split("</td>")[0]
    assert client_user.username in cell or client_user.get_full_name() in cell
    assert editor.username in cell or editor.get_full_name() in cell
    assert cell.count("does not stop the escalation") == 1


def test_only_managers_choose_whose_acknowledgements_count(mp, manager, editor):
    from accounts.services import organization_update
    from core.exceptions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        organization_update(user=editor, organization=mp.organization, acknowledgement_roles=[])
    mp.organization.refresh_from_db()
    assert mp.organization.acknowledgement_roles == ["manager", "editor", "viewer"]

    organization_update(
        user=manager, organization=mp.organization, acknowledgement_roles=["manager"]
    )

    mp.organization.refresh_from_db()
    assert mp.organization.acknowledgement_roles == ["manager"]
