"""The audit log page's filters (person, object type, object, action, dates) and its CSV
export, which is itself recorded."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.actions import AccessAction
from audit.services import record_event
from tests.factories import MembershipFactory

from .conftest import mark, since

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(manager, editor, person, operator, id_scan):
    """A reveal by the manager, a download and an export by the editor."""
    reveal = record_event(AccessAction.ID_REVEALED, actor=manager, target=person)
    download = record_event(AccessAction.DOCUMENT_DOWNLOADED, actor=editor, target=id_scan)
    old = record_event(AccessAction.EXPORTED, actor=editor, target=operator)
    return {"reveal": reveal, "download": download, "old": old}


def _ids(client, **params) -> set[int]:
    response = client.get(reverse("dashboard:audit_log"), params)
    assert response.status_code == 200, response.content
    body = response.content.decode()
    return {int(part.split('"')[0]) for part in body.split('data-entry-id="')[1:]}


def test_filters_narrow_the_list(session_client, manager, editor, entries):
    client = session_client(manager)
    reveal, download = entries["reveal"].pk, entries["download"].pk

    assert {reveal, download} <= _ids(client)
    assert reveal not in _ids(client, person=editor.username)
    assert download in _ids(client, person=editor.username)
    assert _ids(client, action="id_revealed") == {reveal}
    documents = _ids(client, object_type="documents.document")
    assert download in documents
    assert reveal not in documents
    assert _ids(client, object_type="documents.document", action="document_downloaded") == {
        download
    }
    by_name = _ids(client, q="李四")
    assert reveal in by_name
    assert download not in by_name
    today = timezone.localdate()
    assert reveal in _ids(client, date_from=today.isoformat(), date_to=today.isoformat())
    tomorrow = today + datetime.timedelta(days=1)
    assert _ids(client, date_from=tomorrow.isoformat()) == set()


def test_a_bad_date_is_a_400_naming_it(session_client, manager, entries):
    response = session_client(manager).get(reverse("dashboard:audit_log"), {"date_from": "3 May"})

    assert response.status_code == 400
    assert "3 May" in response.content.decode()


def test_the_csv_export_has_the_filtered_rows_and_is_recorded(session_client, manager, entries):
    client = session_client(manager)
    start = mark()

    response = client.get(reverse("dashboard:audit_log_export"), {"action": "id_revealed"})

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # header + the reveal
    assert rows[1][1] == manager.username
    assert rows[1][5].startswith("李四")
    [entry] = since(start)
    assert entry.access == AccessAction.EXPORTED
    assert entry.additional_data["resource"] == "audit_log"
    assert entry.actor == manager


def test_a_manager_of_two_organizations_sees_both_unless_narrowed(
    session_client, manager, other_org, other_operator, entries
):
    from accounts.models import Role

    MembershipFactory(user=manager, organization=other_org, role=Role.MANAGER)
    theirs = record_event(AccessAction.EXPORTED, actor=manager, target=other_operator)
    client = session_client(manager)

    assert {entries["reveal"].pk, theirs.pk} <= _ids(client)
    narrowed = _ids(client, organization=other_org.pk)
    assert theirs.pk in narrowed
    assert entries["reveal"].pk not in narrowed
