from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pii
from core.pii import EncryptedTextField
from core.text import TextError, clean_text, scrub_text


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        abstract = True


@cache
def free_text_fields(model: type[models.Model]) -> tuple[tuple[models.Field, bool], ...]:
    """The model's free-text fields with whether each is multi-line (a TextField).

    Every editable CharField/TextField but choice fields, encrypted fields and the names
    in the model's `text_clean_exempt` (values that are not typed text: codes, hashes).
    """
    exempt = getattr(model, "text_clean_exempt", ())
    fields: list[tuple[models.Field, bool]] = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if field.choices or not field.editable or isinstance(field, EncryptedTextField):
            continue
        if field.name in exempt:
            continue
        fields.append((field, isinstance(field, models.TextField)))
    return tuple(fields)


class CleanTextModel(models.Model):
    """Cleans every free-text field in `clean_fields` with `core.text.clean_text`.

    Forms, the API and the importer all reach the services' `full_clean`, so this is the one
    place the rule applies: the cleaned value replaces the typed one, a refused one is an
    error on its field. Services that take a text outside a model's full_clean (a
    comment, a rejection or snooze reason) call `clean_field_text` or `clean_text`.
    """

    text_clean_exempt: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def clean_fields(self, exclude: object = None) -> None:
        skip = set(exclude or ())  # type: ignore[call-overload]
        errors: dict[str, list[ValidationError]] = {}
        for field, multiline in free_text_fields(type(self)):
            value = getattr(self, field.attname)
            if field.name in skip or not isinstance(value, str) or not value:
                continue
            try:
                setattr(self, field.attname, clean_text(value, multiline=multiline))
            except TextError as e:
                errors[field.name] = [ValidationError(e.message, code=e.code)]
        try:
            super().clean_fields(exclude=skip | set(errors))
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def clean_field_text(value: str | None, *, field: str, multiline: bool = False) -> str:
    """`clean_text` for a service argument that is not a model field yet (a reason, a
    comment): a refusal is a ValidationError on `field`, as forms and the API show it."""
    try:
        return clean_text(value or "", multiline=multiline)
    except TextError as e:
        raise ValidationError({field: [ValidationError(e.message, code=e.code)]}) from None


def scrub_stored_text(
    model: type[models.Model], fields: Sequence[tuple[str, bool]], *, batch_size: int = 1000
) -> int:
    """Apply `core.text.scrub_text` to stored rows (the data migrations); returns how many
    rows changed. `fields`: (name, multi-line) pairs. A migration cannot refuse a row, so
    what `clean_text` would refuse becomes a space. Written with bulk_update: no save(), no
    signal, the model as the migration sees it.
    """
    names = [name for name, _multiline in fields]
    changed: list[models.Model] = []
    count = 0
    rows = model._default_manager.order_by("pk").only("pk", *names)
    for row in rows.iterator(chunk_size=batch_size):
        dirty = False
        for name, multiline in fields:
            value = getattr(row, name)
            if isinstance(value, str) and value:
                cleaned = scrub_text(value, multiline=multiline)
                if cleaned != value:
                    setattr(row, name, cleaned)
                    dirty = True
        if dirty:
            changed.append(row)
        if len(changed) >= batch_size:
            model._default_manager.bulk_update(changed, names)
            count += len(changed)
            changed = []
    if changed:
        model._default_manager.bulk_update(changed, names)
        count += len(changed)
    return count


class IdempotencyKey(models.Model):
    """A submission key claimed once per user and scope: the second request with the same key
    finds the object the first one made instead of making another (core.idempotency)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    # What the key was used for, with its target: "filings.comment:12", "reports.run".
    scope = models.CharField(_("scope"), max_length=80)
    key = models.CharField(_("key"), max_length=64)
    # The object the first request made (in the model the scope names).
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="idempotency_key_once_per_user_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class EncryptionCanary(models.Model):
    """One known value encrypted under FIELD_ENCRYPTION_KEY (core.keys): a process whose keys
    cannot open it refuses to start instead of showing unreadable ID numbers."""

    # Fernet ciphertext of core.keys.CANARY_TEXT (a plain TextField: core.keys reads it raw).
    token = models.TextField(_("ciphertext"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("encryption canary")
        verbose_name_plural = _("encryption canaries")

    def __str__(self) -> str:
        return f"encryption canary {self.pk}"


pii.register_encrypted_column(EncryptionCanary, "token")
