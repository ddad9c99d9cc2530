"""A webhook kind is one entry in notifications.webhooks: the model field reads it from there."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from notifications.models import WebhookEndpoint
from notifications.services.inbox import validate_webhook_url
from notifications.webhooks import WEBHOOK_KINDS, webhook_kind_choices


def test_the_kind_field_reads_the_registry_so_a_new_kind_needs_no_migration():
    field = WebhookEndpoint._meta.get_field("kind")
    _, _, _, kwargs = field.deconstruct()

    assert kwargs["choices"] is webhook_kind_choices
    assert [value for value, _ in field.choices or ()] == list(WEBHOOK_KINDS)


def test_a_url_must_use_one_of_the_kinds_schemes():
    validate_webhook_url("wecombot://0123456789abcdef", kind="wecom")
    with pytest.raises(ValidationError) as exc:
        validate_webhook_url("json://127.0.0.1/hook", kind="wecom")
    assert "wecombot://" in str(exc.value.message_dict["url"])


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(ValidationError) as exc:
        validate_webhook_url("slack://a/b/c", kind="slack")
    assert "slack" in exc.value.message_dict["kind"][0]
