"""Webhook URLs carry bot keys: encrypted at rest, plain only where they are used."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from notifications.models import WebhookEndpoint
from notifications.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db

URL = "wecombot://a1b2c3d4-secret-bot-key"


def _raw(pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT url FROM notifications_webhookendpoint WHERE id = %s", [pk])
        return cur.fetchone()[0]


def test_webhook_url_encrypted_at_rest_and_readable_in_code(org, manager):
    ep = webhook_endpoint_create(
        user=manager, organization=org, name="企业微信", kind="wecom", url=URL
    )
    assert "secret-bot-key" not in _raw(ep.pk)
    assert WebhookEndpoint.objects.get(pk=ep.pk).url == URL


def test_migration_encrypts_rows_written_in_clear(org):
    ep = WebhookEndpoint.objects.create(organization=org, name="旧", kind="wecom", url="x")
    with connection.cursor() as cur:  # a row as the previous schema stored it
        cur.execute("UPDATE notifications_webhookendpoint SET url = %s WHERE id = %s", [URL, ep.pk])
    migration = importlib.import_module("notifications.migrations.0002_encrypt_webhook_urls")
    migration.encrypt_existing(None, SimpleNamespace(connection=connection))
    migration.encrypt_existing(None, SimpleNamespace(connection=connection))  # idempotent
    assert "secret-bot-key" not in _raw(ep.pk)
    assert WebhookEndpoint.objects.get(pk=ep.pk).url == URL
