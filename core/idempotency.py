"""Idempotent submissions: a double-clicked form or a retried API call makes one row.

A form carries a hidden key made when it is rendered (`{% idempotency_field %}`, or
`IdempotencyKeyField` in a Django form); an API client sends an `Idempotency-Key` header.
`idempotent_create` claims the key in the same transaction as the row: of two requests with
the same key, the second waits on the unique index until the first commits, then finds the
first one's object and returns it instead of making another.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import ApplicationError, ConflictError
from .models import IdempotencyKey

M = TypeVar("M", bound=models.Model)

FIELD = "idempotency_key"  # the hidden form field
HEADER = "Idempotency-Key"  # the API header
_KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


class InvalidIdempotencyKey(ApplicationError):  # noqa: N818 - reads as the domain term
    """The key is not 1-64 letters, digits or `_ . : -` (answered 400)."""


def new_key() -> str:
    return uuid.uuid4().hex


def clean_key(value: str | None) -> str:
    """The key, stripped; "" when none was sent. Raises InvalidIdempotencyKey."""
    value = (value or "").strip()
    if value and not _KEY_RE.match(value):
        raise InvalidIdempotencyKey(
            _("An idempotency key is 1 to 64 letters, digits, '_', '.', ':' or '-'.")
        )
    return value


def key_from_request(request: Any) -> str:
    """The `Idempotency-Key` header, else the form's hidden field ("" when neither)."""
    header = request.headers.get(HEADER)
    if header is not None:
        return clean_key(header)
    return clean_key(request.POST.get(FIELD))


class IdempotencyKeyField(forms.CharField):
    """Hidden field with a fresh key each time the (unbound) form is rendered."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("initial", new_key)
        kwargs.setdefault(
            "validators",
            [RegexValidator(_KEY_RE, gettext_lazy("This form is out of date: reload the page."))],
        )
        super().__init__(**kwargs)


def idempotent_create(
    *,
    user: Any,
    scope: str,
    key: str,
    create: Callable[[], M],
    load: Callable[[int], M],
) -> tuple[M, bool]:
    """`create()` once per (user, scope, key): returns (object, True) the first time and
    (the same object loaded with `load(pk)`, False) after. Without a key, always creates.

    The claim rolls back with `create()`: a refused submission (a validation error) can be
    sent again with the same key. Raises ConflictError if the key's first request made
    nothing (it cannot have committed without an object, so only a misuse gets here).
    """
    if not key or not getattr(user, "is_authenticated", False):
        return create(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(user=user, scope=scope, key=key)
        except IntegrityError:
            claim = None
        if claim is None:
            first = IdempotencyKey.objects.get(user=user, scope=scope, key=key)
            if first.object_id is None:
                raise ConflictError(_("This submission is already being processed."))
            return load(first.object_id), False
        obj = create()
        claim.object_id = obj.pk
        claim.save(update_fields=["object_id"])
        return obj, True


def idempotency_keys_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete keys older than IDEMPOTENCY_KEY_TTL; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
