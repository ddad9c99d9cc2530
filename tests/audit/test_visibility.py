"""Who reads the log: an organization's managers read theirs, superusers all; another
organization's manager, editors and viewers read nothing (page, API, admin)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.actions import AccessAction
from audit.services import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def reveal_entry(manager, person):
    return record_event(AccessAction.ID_REVEALED, actor=manager, target=person)


def test_the_manager_sees_the_entry_on_the_page(session_client, manager, reveal_entry):
    response = session_client(manager).get(reverse("dashboard:audit_log"))

    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-entry-id="{reveal_entry.pk}"' in body
    assert 'data-testid="nav-audit-log"' in body


def test_another_organizations_manager_does_not_see_it(session_client, other_manager, reveal_entry):
    client = session_client(other_manager)

    page = client.get(reverse("dashboard:audit_log"))
    api = client.get("/api/v1/audit/")
    detail = client.get(f"/api/v1/audit/{reveal_entry.pk}/")

    assert page.status_code == 200
    assert f'data-entry-id="{reveal_entry.pk}"' not in page.content.decode()
    assert api.status_code == 200
    assert reveal_entry.pk not in [e["id"] for e in api.json()["results"]]
    assert detail.status_code == 404


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_members_who_are_not_managers_read_no_log(request, session_client, role, reveal_entry):
    client = session_client(request.getfixturevalue(role))

    page = client.get(reverse("dashboard:audit_log"))
    export = client.get(reverse("dashboard:audit_log_export"))
    api = client.get("/api/v1/audit/")

    assert page.status_code == 404
    assert export.status_code == 404
    assert api.status_code == 403
    assert (
        'data-testid="nav-audit-log"'
        not in client.get(reverse("dashboard:overview")).content.decode()
    )


def test_the_api_lists_the_managers_entries_with_a_token(token_client, manager, reveal_entry):
    response = token_client(manager).get("/api/v1/audit/", {"action": "id_revealed"})

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == reveal_entry.pk
    assert row["action"] == "id_revealed"
    assert row["actor"] == manager.username
    assert row["organization"] == reveal_entry.organization_id
    assert row["object_type"] == "miniprograms.responsibleperson"


def test_a_superuser_sees_every_organizations_entries(
    session_client, superuser, other_manager, other_operator, reveal_entry
):
    theirs = record_event(AccessAction.EXPORTED, actor=other_manager, target=other_operator)

    response = session_client(superuser).get("/api/v1/audit/")

    ids = [e["id"] for e in response.json()["results"]]
    assert reveal_entry.pk in ids
    assert theirs.pk in ids


@pytest.fixture
def staff_manager(manager):
    manager.is_staff = True
    manager.save()
    return manager


def test_the_admin_is_scoped_like_the_page(
    session_client, staff_manager, other_manager, other_operator, reveal_entry
):
    theirs = record_event(AccessAction.EXPORTED, actor=other_manager, target=other_operator)
    client = session_client(staff_manager)

    listing = client.get(reverse("admin:audit_auditentry_changelist"))
    mine = client.get(reverse("admin:audit_auditentry_change", args=[reveal_entry.pk]))
    not_mine = client.get(reverse("admin:audit_auditentry_change", args=[theirs.pk]))

    assert listing.status_code == 200
    body = listing.content.decode()
    assert f"/{reveal_entry.pk}/change/" in body
    assert f"/{theirs.pk}/change/" not in body
    assert mine.status_code == 200
    assert not_mine.status_code == 404
