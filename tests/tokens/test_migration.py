"""DRF's plaintext tokens become hashed ApiTokens: the old key keeps working, the plaintext
table is gone, and running the conversion again changes nothing."""

from __future__ import annotations

import hashlib
import importlib

from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tokens.models import ApiToken

convert = importlib.import_module("tokens.migrations.0002_authtoken_keys_hashed").convert

OLD_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's format: 40 hex characters


def _old_table_with(user) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id bigint NOT NULL UNIQUE)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [OLD_KEY, timezone.now(), user.pk],
        )


def _convert() -> None:
    with connection.schema_editor() as editor:
        convert(apps, editor)


def test_old_keys_are_hashed_and_keep_working(person):
    _old_table_with(person)

    _convert()

    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=person)
    assert token.digest == hashlib.sha512(OLD_KEY.encode()).hexdigest()
    assert token.name.startswith("Token from before ")
    assert token.expiry is not None
    assert token.expiry > timezone.now()
    assert not any(OLD_KEY in str(v) for v in ApiToken.objects.values().get().values())
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {OLD_KEY}")
    assert c.get(reverse("organization-list")).status_code == 200


def test_running_it_again_changes_nothing(person):
    _old_table_with(person)
    _convert()

    _convert()  # no table: nothing to do

    assert ApiToken.objects.filter(user=person).count() == 1
