"""Personal information (PIPL): field encryption, masking, and a log filter.

ID numbers are stored only as Fernet ciphertext plus a keyed hash (for duplicate checks) and
are shown masked everywhere unless the viewer holds `miniprograms.reveal_pii`.

Keys: `settings.FIELD_ENCRYPTION_KEY` is a list of key strings (comma-separated in the
environment). The first encrypts and computes the blind index; every key decrypts
(MultiFernet), and lookups by blind index try every key's index, so rows written under an older
key stay readable and findable until `manage.py rotate_pii_key` has rewritten them. Each key
string becomes a Fernet key as sha256 → urlsafe base64 (the derivation stored data was written
with), so any string works; a real Fernet key is just another string to it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import cast

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


def configured_keys() -> tuple[str, ...]:
    """The key strings of FIELD_ENCRYPTION_KEY, first (encrypting) key first.

    A string in the settings is one key; the environment's comma-separated list arrives as a
    list (settings.security). No key at all is a configuration error, never a fallback.
    """
    raw = settings.FIELD_ENCRYPTION_KEY
    items: Sequence[str] = [raw] if isinstance(raw, str) else list(raw or [])
    keys = tuple(k.strip() for k in items if k and k.strip())
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY is empty: set it to the key (or comma-separated keys, the "
            "encrypting one first) that encrypts ID numbers and webhook URLs."
        )
    return keys


@cache
def _key_materials() -> tuple[bytes, ...]:
    return tuple(hashlib.sha256(k.encode()).digest() for k in configured_keys())


@cache
def _fernets() -> tuple[Fernet, ...]:
    return tuple(Fernet(base64.urlsafe_b64encode(m)) for m in _key_materials())


@cache
def _multi() -> MultiFernet:
    return MultiFernet(list(_fernets()))


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: object) -> None:
    if setting == "FIELD_ENCRYPTION_KEY":
        reset_key_cache()


def reset_key_cache() -> None:
    """Forget the derived keys (settings changed in tests)."""
    for cached in (_key_materials, _fernets, _multi):
        cached.cache_clear()


class Unreadable(str):
    """What a stored ciphertext no configured key opens reads as: a visible marker, never "".

    Keeps the ciphertext, so saving the object again writes it back unchanged
    (EncryptedTextField) instead of encrypting the marker over the real value.
    """

    token: str

    def __new__(cls, token: str) -> Unreadable:
        marker = super().__new__(cls, gettext("[cannot decrypt]"))
        marker.token = token
        return marker


def encrypt(value: str) -> str:
    return _fernets()[0].encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    """The plain value; an Unreadable marker (and an error in the log) if no key opens it."""
    if not token:
        return ""
    try:
        return _multi().decrypt(token.encode()).decode()
    except InvalidToken:
        # Never the value itself; the canary check (core.keys) catches a wrong key at startup.
        logger.error(
            "A stored encrypted value cannot be decrypted with any FIELD_ENCRYPTION_KEY "
            "(%d configured): shown as a marker.",
            len(_fernets()),
        )
        return Unreadable(token)


@dataclass(frozen=True)
class Reencrypted:
    """The outcome of `reencrypt` for one stored token."""

    token: str  # under the first key (the same one when it already was)
    plain: str
    changed: bool


def reencrypt(token: str) -> Reencrypted | None:
    """The token under the first key, or None if no configured key opens it."""
    first = _fernets()[0]
    try:
        return Reencrypted(token, first.decrypt(token.encode()).decode(), changed=False)
    except InvalidToken:
        pass
    try:
        plain = _multi().decrypt(token.encode()).decode()
    except InvalidToken:
        return None
    return Reencrypted(first.encrypt(plain.encode()).decode(), plain, changed=True)


def _index(material: bytes, value: str) -> str:
    return hmac.new(material, value.upper().encode(), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """Keyed hash so equal ID numbers can be found without decrypting every row (first key:
    what is stored)."""
    if not value:
        return ""
    return _index(_key_materials()[0], value)


def blind_indexes(value: str) -> tuple[str, ...]:
    """The blind index under every configured key, the first key's first: what a lookup
    matches, so rows indexed under an older key are found until rotation rewrites them."""
    if not value:
        return ()
    return tuple(_index(m, value) for m in _key_materials())


# Encrypted columns that are not EncryptedTextFields (the ciphertext kept in a plain
# TextField, with a blind index next to it), registered by the models that own them;
# `encrypted_columns()` adds every EncryptedTextField. rotate_pii_key rewrites them all.
@dataclass(frozen=True)
class EncryptedColumn:
    model: type[models.Model]
    field: str
    index_field: str | None = None

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    def db_column(self, name: str | None = None) -> str:
        """The database column of `name` (default: the encrypted field)."""
        field = cast(models.Field, self.model._meta.get_field(name or self.field))
        return str(field.column)


_registered: list[EncryptedColumn] = []


def register_encrypted_column(
    model: type[models.Model], field: str, *, index_field: str | None = None
) -> None:
    """Declare a TextField holding `encrypt()` output (and its blind index field, if any)."""
    column = EncryptedColumn(model, field, index_field)
    if column not in _registered:
        _registered.append(column)


def encrypted_columns() -> list[EncryptedColumn]:
    """Every column holding ciphertext under FIELD_ENCRYPTION_KEY, in a stable order."""
    from django.apps import apps

    columns = list(_registered)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                columns.append(EncryptedColumn(model, field.name))
    return sorted(set(columns), key=lambda c: c.label)


def mask_id_number(value: str) -> str:
    """`110105194912310021` -> `110105********0021`: region and last four stay readable."""
    if not value or isinstance(value, Unreadable):
        return value
    if len(value) <= 6:
        return "*" * len(value)
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_phone(value: str) -> str:
    if len(value) != 11:
        return value
    return value[:3] + "****" + value[-4:]


# 15/18-digit resident IDs, and passport/permit-like tokens would be too broad to catch; the
# resident ID is the identifier that reaches logs through validation errors.
_RESIDENT_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    return _RESIDENT_ID_RE.sub(lambda m: m.group(1) + "********" + m.group(3), text)


class MaskPIILogFilter(logging.Filter):
    """Masks resident ID numbers in every log record, whatever logged them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class EncryptedTextField(models.TextField):
    """Text stored as Fernet ciphertext; Python code sees the plain value.

    For secrets that must be used but never read off the database (webhook URLs carry bot
    keys). Not searchable: lookups compare ciphertexts, which differ on every save. A value
    no key opens reads as an `Unreadable` marker and is written back as the ciphertext it was.
    """

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        if isinstance(value, Unreadable):
            return value.token
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
