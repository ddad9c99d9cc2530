"""The key canary: a process whose FIELD_ENCRYPTION_KEY cannot open the stored canary refuses to
start (web, Celery worker, `manage.py check`/`runserver`), so a wrong key is never a page full
of unreadable ID numbers.

The canary row is written after `migrate` (post_migrate) under the first configured key, once
the stored ciphertexts it can sample open with the configured keys; `rotate_pii_key` re-encrypts
it with everything else. A database that cannot be reached, or has no canary table yet, is not
judged here (the readiness probe and `migrate` speak for those).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router

from . import pii

logger = logging.getLogger(__name__)

CANARY_TEXT = "icpfiling field encryption canary"
SAMPLE_SIZE = 20

WRONG_KEY = (
    "FIELD_ENCRYPTION_KEY cannot decrypt {what}: this process would show every ID number and "
    "webhook URL as unreadable. Set FIELD_ENCRYPTION_KEY to the key the data was encrypted "
    "with (during a rotation: the new key first, then the old ones, comma-separated)."
)


class NotJudged(Exception):  # noqa: N818 - a state, not a failure
    """The database cannot tell yet (unreachable, tables missing)."""


def _canary_tokens(using: str) -> list[str]:
    from .models import EncryptionCanary

    try:
        return list(EncryptionCanary.objects.using(using).values_list("token", flat=True))
    except (DatabaseError, RuntimeError) as e:  # RuntimeError: a test's blocked database
        raise NotJudged(str(e)) from e


def _opens(token: str) -> bool:
    return pii.reencrypt(token) is not None


def _sample_opens(using: str) -> bool | None:
    """Whether the stored ciphertexts open: True if any sampled one does, False if some exist
    and none does, None if there is nothing to sample."""
    sampled = False
    for column in pii.encrypted_columns():
        if column.model._meta.label == "core.EncryptionCanary":
            continue
        name = column.db_column()
        table = column.model._meta.db_table
        qn = connections[using].ops.quote_name
        try:
            with connections[using].cursor() as cursor:
                cursor.execute(
                    f"SELECT {qn(name)} FROM {qn(table)} "  # noqa: S608 (names from the models)
                    f"WHERE {qn(name)} <> '' AND {qn(name)} <> '-' LIMIT %s",
                    [SAMPLE_SIZE],
                )
                tokens = [row[0] for row in cursor.fetchall()]
        except (DatabaseError, RuntimeError) as e:
            raise NotJudged(str(e)) from e
        for token in tokens:
            sampled = True
            if _opens(token):
                return True
    return False if sampled else None


def verify_encryption_key(using: str = DEFAULT_DB_ALIAS, *, quiet: bool = False) -> bool:
    """Raise ImproperlyConfigured unless a configured key opens the stored canary (without a
    canary: the stored ciphertexts). True when verified, False when not judged (a warning in
    the log unless `quiet`: the system check, before the first `migrate`)."""
    pii.configured_keys()  # an empty key is refused before anything else
    try:
        tokens = _canary_tokens(using)
        if tokens:
            if not any(_opens(t) for t in tokens):
                raise ImproperlyConfigured(WRONG_KEY.format(what="the stored key canary"))
            return True
        if _sample_opens(using) is False:
            raise ImproperlyConfigured(WRONG_KEY.format(what="any stored encrypted value"))
    except NotJudged as e:
        logger.log(
            logging.DEBUG if quiet else logging.WARNING,
            "FIELD_ENCRYPTION_KEY not verified: the database cannot tell (%s).",
            e,
        )
        return False
    return True


def ensure_canary(using: str = DEFAULT_DB_ALIAS) -> None:
    """Write the canary under the first key if there is none (after migrate); refuse when the
    stored ciphertexts show the configured keys are the wrong ones."""
    from .models import EncryptionCanary

    if not router.allow_migrate_model(using, EncryptionCanary):
        return
    try:
        if EncryptionCanary.objects.using(using).exists():
            return
        if _sample_opens(using) is False:
            raise ImproperlyConfigured(WRONG_KEY.format(what="any stored encrypted value"))
    except NotJudged:
        return
    EncryptionCanary.objects.using(using).create(token=pii.encrypt(CANARY_TEXT))


def check_encryption_key(app_configs=None, **kwargs) -> list:
    """System check (core.E001): runs with `check`, `runserver`, `migrate` and the worker."""
    from django.core.checks import Error

    try:
        verify_encryption_key(quiet=True)
    except ImproperlyConfigured as e:
        return [Error(str(e), id="core.E001")]
    return []


def refuse_wrong_key(**kwargs: object) -> None:
    """Startup hook (wsgi, asgi, Celery worker_init): raise ImproperlyConfigured on a wrong key."""
    verify_encryption_key()
