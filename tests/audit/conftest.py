"""Fixtures of the audit tests: a manager who may reveal ID numbers, a person with an ID scan,
and clients that sign in with a session or with a real API token."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from rest_framework.test import APIClient

from audit.models import AuditEntry
from documents.models import DocType
from tests.factories import (
    DocumentFactory,
    PersonFactory,
    enable_totp,
    make_api_token,
    valid_ric,
)


@pytest.fixture
def revealer(manager):
    """The organization's manager, allowed to reveal ID numbers (with a second factor on)."""
    manager.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    enable_totp(manager)
    return manager


ID_NUMBER = valid_ric(901)


@pytest.fixture
def person(operator):
    return PersonFactory(operator=operator, name="李四", id_number=ID_NUMBER)


@pytest.fixture
def id_scan(operator):
    return DocumentFactory(
        operator=operator, doc_type=DocType.ENTITY_PERSON_ID, name="身份证", original_name="id.pdf"
    )


@pytest.fixture
def session_client():
    def make(user) -> Client:
        c = Client(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="pytest-browser")
        c.force_login(user)
        return c

    return make


@pytest.fixture
def token_client():
    """An API client that authenticates with a real token header (no session)."""

    def make(user) -> APIClient:
        _, key = make_api_token(user)
        c = APIClient(REMOTE_ADDR="203.0.113.9")
        c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return c

    return make


def mark() -> int:
    """The newest entry's id now (0: none)."""
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def since(start: int) -> list[AuditEntry]:
    """The entries written after `mark()` returned `start`, oldest first."""
    return list(AuditEntry.objects.filter(pk__gt=start).order_by("pk"))
