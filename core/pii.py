"""Personal information (PIPL): field encryption, masking, and a log filter.

ID numbers are stored only as Fernet ciphertext plus a keyed hash (for duplicate checks) and
are shown masked everywhere unless the viewer holds `miniprograms.reveal_pii`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _key_material() -> bytes:
    # Fall back to SECRET_KEY only when no dedicated key is configured (embedded default);
    # production.py makes FIELD_ENCRYPTION_KEY mandatory.
    raw = settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    return hashlib.sha256(raw.encode()).digest()


@cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key_material()))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def blind_index(value: str) -> str:
    """Keyed hash so equal ID numbers can be found without decrypting every row."""
    if not value:
        return ""
    return hmac.new(_key_material(), value.upper().encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """`110105194912310021` -> `110105********0021`: region and last four stay readable."""
    if not value:
        return ""
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
    keys). Not searchable: lookups compare ciphertexts, which differ on every save.
    """

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
