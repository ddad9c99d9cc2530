"""Editing an operator, revealing an ID, downloading an ID scan and exporting persons each
leave exactly one audit entry, with the right actor and organization, whether the request
came with a session or with an API token."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.actions import AccessAction
from audit.models import AuditEntry
from miniprograms.models import Operator
from miniprograms.services.register import OPERATOR_FIELDS
from tests.factories import valid_ric

from .conftest import ID_NUMBER, mark, since

NEW_NUMBER = valid_ric(902)

pytestmark = pytest.mark.django_db


def _operator_form(op: Operator, **changes) -> dict:
    data = {}
    for name in OPERATOR_FIELDS:
        value = getattr(op, f"{name}_id" if name == "province" else name)
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def test_editing_an_operator_in_the_dashboard_leaves_one_update_row(
    session_client, manager, operator
):
    client = session_client(manager)  # signing in is an entry of its own
    start = mark()

    response = client.post(
        reverse("dashboard:operator_edit", args=[operator.pk]),
        _operator_form(operator, name_zh="深圳市改名科技有限公司"),
    )

    assert response.status_code == 302
    [entry] = since(start)
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.access == ""
    assert entry.actor == manager
    assert entry.actor_label == manager.username
    assert entry.organization_id == operator.organization_id
    assert entry.object_pk == str(operator.pk)
    assert entry.changes["name_zh"] == ["深圳市测试科技有限公司", "深圳市改名科技有限公司"]
    assert entry.remote_addr == "198.51.100.7"
    assert entry.user_agent == "pytest-browser"


def test_editing_an_operator_with_a_token_names_the_token_user(token_client, manager, operator):
    start = mark()

    response = token_client(manager).patch(
        f"/api/v1/operators/{operator.pk}/", {"name_en": "Renamed Ltd"}, format="json"
    )

    assert response.status_code == 200, response.content
    [entry] = since(start)
    assert (entry.action, entry.actor, entry.organization_id) == (
        AuditEntry.Action.UPDATE,
        manager,
        operator.organization_id,
    )
    assert entry.changes == {"name_en": [operator.name_en, "Renamed Ltd"]}
    assert entry.remote_addr == "203.0.113.9"


@pytest.mark.parametrize("how", ["session", "token"])
def test_revealing_an_id_number_leaves_one_row(request, how, revealer, person):
    client = request.getfixturevalue(f"{how}_client")(revealer)
    start = mark()

    response = client.post(f"/api/v1/persons/{person.pk}/reveal/")

    assert response.status_code == 200
    assert response.json()["id_number"] == ID_NUMBER
    [entry] = since(start)
    assert entry.action == AuditEntry.Action.ACCESS
    assert entry.access == AccessAction.ID_REVEALED
    assert entry.actor == revealer
    assert entry.organization_id == person.organization_id
    assert entry.object_pk == str(person.pk)
    assert ID_NUMBER not in str(entry.additional_data) + entry.object_repr


def test_a_refused_reveal_leaves_no_row(session_client, editor, person):
    client = session_client(editor)
    start = mark()

    response = client.post(f"/api/v1/persons/{person.pk}/reveal/")

    assert response.status_code == 403
    assert since(start) == []


def test_downloading_an_id_scan_leaves_one_row(session_client, editor, id_scan):
    client = session_client(editor)
    start = mark()

    response = client.get(reverse("documents:download", args=[id_scan.pk]))

    assert response.status_code == 200
    b"".join(response.streaming_content)
    [entry] = since(start)
    assert entry.access == AccessAction.DOCUMENT_DOWNLOADED
    assert entry.actor == editor
    assert entry.organization_id == id_scan.organization_id
    assert entry.object_pk == str(id_scan.pk)
    assert entry.additional_data == {"doc_type": "entity_person_id"}


def test_another_organization_downloading_leaves_no_row(session_client, other_manager, id_scan):
    client = session_client(other_manager)
    start = mark()

    response = client.get(reverse("documents:download", args=[id_scan.pk]))

    assert response.status_code == 404
    assert since(start) == []


@pytest.mark.parametrize("how", ["session", "token"])
def test_exporting_persons_leaves_one_row(request, how, revealer, person, org):
    client = request.getfixturevalue(f"{how}_client")(revealer)
    start = mark()

    response = client.get("/api/v1/exports/persons.csv")

    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ID_NUMBER in content  # a revealer's export is unmasked: that is why it is logged
    [entry] = since(start)
    assert entry.access == AccessAction.EXPORTED
    assert entry.actor == revealer
    assert entry.organization_id == org.pk
    assert entry.additional_data["resource"] == "persons"
    assert entry.additional_data["unmasked"] is True


def test_changing_an_id_number_masks_it_in_the_diff(manager, person):
    from miniprograms.services.persons import person_update

    start = mark()

    person_update(user=manager, person=person, id_number=NEW_NUMBER)

    entries = since(start)
    assert [e.action for e in entries] == [AuditEntry.Action.UPDATE]
    changes = entries[0].changes
    assert changes["id_number_encrypted"] == ["***", "***"]
    assert changes["id_number_hash"] == ["***", "***"]
    stored = str(changes) + str(entries[0].serialized_data)
    assert ID_NUMBER not in stored
    assert NEW_NUMBER not in stored
    person.refresh_from_db()
    assert person.id_number_encrypted not in stored


def test_a_webhook_url_is_never_in_the_diff(manager, org):
    from tests.factories import WebhookEndpointFactory

    start = mark()

    hook = WebhookEndpointFactory(organization=org, url="wecombot://secret-key-123")

    [entry] = since(start)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.organization_id == org.pk
    assert entry.changes["url"] == [None, "***"] or entry.changes["url"] == ["None", "***"]
    assert "secret-key-123" not in str(entry.changes)
    assert hook.pk == int(entry.object_pk)
