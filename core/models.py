from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        abstract = True


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
