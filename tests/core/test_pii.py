"""PII never leaves unmasked: API responses, admin pages, log lines, the database itself."""

import logging

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from audit.actions import AccessAction
from audit.models import AuditEntry
from core import pii
from miniprograms.models import ResponsiblePerson
from miniprograms.services import person_create
from tests.factories import enable_totp

ID = "11010519491231002X"
MASKED = "110105********002X"


@pytest.fixture
def person(operator, manager):
    return person_create(
        user=manager,
        operator=operator,
        role="entity",
        name="王负责",
        id_number=ID.lower(),
        mobile="13912345678",
    )


def test_mask_formats():
    assert pii.mask_id_number(ID) == MASKED
    assert pii.mask_phone("13912345678") == "139****5678"
    assert pii.mask_text(f"bad id {ID} given") == f"bad id {MASKED} given"


def test_stored_encrypted_not_plain(person):
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM miniprograms_responsibleperson WHERE id = %s", [person.pk])
        row = " ".join(str(v) for v in cur.fetchone())
    assert ID not in row
    assert person.id_number_masked == MASKED
    assert person.reveal_id_number() == ID


def test_duplicate_lookup_by_blind_index(person):
    assert ResponsiblePerson.objects.filter(id_number_hash=pii.blind_index(ID.lower())).exists()


def test_api_list_and_detail_mask(person, api, manager):
    c = api(manager)
    for url in (reverse("person-list"), reverse("person-detail", args=[person.pk])):
        body = c.get(url).content.decode()
        assert ID not in body
        assert "13912345678" not in body
        assert MASKED in body


def test_api_create_response_masked(api, manager, operator):
    response = api(manager).post(
        reverse("person-list"),
        {
            "operator": operator.pk,
            "role": "entity",
            "name": "李负责",
            "id_number": ID,
            "mobile": "13912345670",
        },
        format="json",
    )
    assert response.status_code == 201
    assert ID not in response.content.decode()


def test_api_invalid_id_error_does_not_echo_the_number(api, manager, operator):
    bad = "110105194912310021"
    response = api(manager).post(
        reverse("person-list"),
        {
            "operator": operator.pk,
            "role": "entity",
            "name": "x",
            "id_number": bad,
            "mobile": "13912345670",
        },
        format="json",
    )
    assert response.status_code == 400
    assert bad not in response.content.decode()
    assert "id_number" in response.json()


def test_reveal_requires_permission_and_is_audited(person, api, manager, caplog):
    url = reverse("person-reveal", args=[person.pk])
    reveals = AuditEntry.objects.filter(access=AccessAction.ID_REVEALED, object_pk=str(person.pk))
    with caplog.at_level(logging.INFO, logger="icpfiling.audit"):
        refused = api(manager).post(url)
    assert refused.status_code == 403
    assert ID not in refused.content.decode()
    assert not reveals.exists()
    manager.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    enable_totp(manager)  # revealing needs a second factor too
    manager = type(manager).objects.get(pk=manager.pk)  # fresh permission cache
    with caplog.at_level(logging.INFO, logger="icpfiling.audit"):
        response = api(manager).post(url)
    assert response.status_code == 200
    assert response.json()["id_number"] == ID
    assert list(reveals.values_list("actor_id", flat=True)) == [manager.pk]
    assert ID not in caplog.text


def test_admin_list_and_change_page_masked(person, client, superuser):
    client.force_login(superuser)
    for url in (
        reverse("admin:miniprograms_responsibleperson_changelist"),
        reverse("admin:miniprograms_responsibleperson_change", args=[person.pk]),
    ):
        body = client.get(url).content.decode()
        assert ID not in body
        assert "13912345678" not in body or "change" in url  # editable field on the form only
    assert (
        MASKED
        in client.get(reverse("admin:miniprograms_responsibleperson_changelist")).content.decode()
    )


def test_log_filter_masks_records():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "rejected id %s", (ID,), None)
    assert pii.MaskPIILogFilter().filter(record)
    assert record.getMessage() == f"rejected id {MASKED}"


def test_configured_console_handler_masks_real_log_lines():
    # The handler Django configured from settings.LOGGING, writing into a buffer we read back.
    import io

    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, pii.MaskPIILogFilter) for f in h.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        logging.getLogger("miniprograms").warning("validation failed for %s", ID)
    finally:
        handler.setStream(old)
    assert MASKED in buffer.getvalue()
    assert ID not in buffer.getvalue()
