"""Nobody edits or deletes an entry: the admin offers no add, change or delete (superusers
included), and on PostgreSQL the table itself refuses UPDATE and DELETE."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.actions import AccessAction
from audit.models import AuditEntry
from audit.services import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(manager, person):
    return record_event(AccessAction.ID_REVEALED, actor=manager, target=person)


def test_a_superuser_cannot_change_or_delete_an_entry_in_the_admin(
    session_client, superuser, entry
):
    client = session_client(superuser)
    before = AuditEntry.objects.values().get(pk=entry.pk)

    add = client.get(reverse("admin:audit_auditentry_add"))
    change = client.post(
        reverse("admin:audit_auditentry_change", args=[entry.pk]), {"object_repr": "forged"}
    )
    delete = client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.values().get(pk=entry.pk) == before


def test_the_database_refuses_update_and_delete(entry):
    # the suite runs on PostgreSQL (scripts/test), where the append-only trigger lives
    assert connection.vendor == "postgresql", "DATABASE_URL must name a PostgreSQL database"
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.object_repr == entry.object_repr
    assert stored.access == AccessAction.ID_REVEALED


def test_deleting_the_actor_and_the_organization_keeps_the_entry(manager, other_operator):
    from accounts.models import Membership

    org = other_operator.organization
    entry = record_event(AccessAction.EXPORTED, actor=manager, organization=org)
    name = manager.username

    Membership.objects.filter(user=manager).delete()
    manager.delete()

    stored = AuditEntry.objects.select_related("actor").get(pk=entry.pk)
    assert stored.actor is None
    assert stored.who == name
    assert stored.organization_id == org.pk
