"""API tokens: knox's hashed token (only the SHA-512 digest of a key is stored) with a name,
an integer id for URLs, and when and from where it was last used.

A revoked token is a deleted row (the audit log keeps the TOKEN_REVOKED event); an expired one
answers 401 until `core.purge` deletes it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

if TYPE_CHECKING:
    from accounts.models import User


# knox ships no type information, so mypy's Django plugin does not see a model here: the fields
# carry their types themselves.
class ApiToken(AbstractAuthToken):
    # A plain manager: tokens are made by `services.token_create` (knox's manager would make
    # its own key and return a pair).
    objects: models.Manager[ApiToken] = models.Manager()

    # An integer id for URLs and the audit log: the digest stays out of both.
    id: models.BigAutoField[int, int] = models.BigAutoField(primary_key=True)
    digest: models.CharField[str, str] = models.CharField(
        _("digest"), max_length=CONSTANTS.DIGEST_LENGTH, unique=True
    )
    token_key: models.CharField[str, str] = models.CharField(
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
        db_index=True,
    )
    user: models.ForeignKey[User, User] = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",  # read through tokens.selectors, not user.<manager>
        verbose_name=_("user"),
    )
    user_id: int
    name: models.CharField[str, str] = models.CharField(_("name"), max_length=100)
    created: models.DateTimeField[datetime.datetime, datetime.datetime] = models.DateTimeField(
        _("created"), auto_now_add=True
    )
    expiry: models.DateTimeField[datetime.datetime | None, datetime.datetime | None] = (
        models.DateTimeField(_("expires"), null=True, blank=True)
    )
    last_used_at: models.DateTimeField[datetime.datetime | None, datetime.datetime | None] = (
        models.DateTimeField(_("last used"), null=True, blank=True)
    )
    created_from: models.GenericIPAddressField[str | None, str | None] = (
        models.GenericIPAddressField(_("created from"), null=True, blank=True)
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
