from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import (
    ServiceWritesMixin,
    SuperuserOnlyAdmin,
    TenantAdmin,
    cleaned_fields,
)
from compliance.admin import RuleFilter
from compliance.rules import rule_label

from . import services
from .channels import mask_url
from .models import (
    CalendarFeed,
    Delivery,
    Digest,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderLadder,
    WebhookEndpoint,
)
from .selectors import (
    delivery_list_for_user,
    notification_list_for_user,
    reminder_list_for_user,
    webhook_endpoint_list_for_user,
)
from .services.inbox import validate_webhook_url
from .services.ladders import LADDER_FIELDS

_M = TypeVar("_M", bound=Model)


@admin.register(ReminderLadder)
class ReminderLadderAdmin(ServiceWritesMixin[ReminderLadder], SuperuserOnlyAdmin):
    """Global defaults live here too (no organization): superusers only, via the service."""

    list_display = [
        "organization",
        "rule",
        "offsets",
        "hour_offsets",
        "overdue_every_days",
        "roles",
    ]
    list_filter = ["organization"]

    def service_create(self, request: HttpRequest, form: ModelForm) -> ReminderLadder:
        return services.ladder_save(
            user=request.user, ladder=ReminderLadder(), **cleaned_fields(form, LADDER_FIELDS)
        )

    def service_update(
        self, request: HttpRequest, obj: ReminderLadder, form: ModelForm
    ) -> ReminderLadder:
        return services.ladder_save(
            user=request.user, ladder=obj, **cleaned_fields(form, LADDER_FIELDS)
        )

    def service_delete(self, request: HttpRequest, obj: ReminderLadder) -> None:
        services.ladder_delete(user=request.user, ladder=obj)


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "channel",
        "recipient_key",
        "address",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    )


@admin.register(Reminder)
class ReminderAdmin(TenantAdmin):
    """Read-only: the pipeline writes reminders."""

    scope = reminder_list_for_user
    list_display = ["subject_name", "rule_name", "due_date", "step", "kind", "status", "due_at"]
    list_filter = ["status", "kind", RuleFilter]

    @admin.display(description=_("rule"), ordering="rule")
    def rule_name(self, obj: Reminder) -> str:
        return rule_label(obj.rule)

    search_fields = ["subject_name"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(TenantAdmin):
    """Read-only: the pipeline writes deliveries."""

    scope = delivery_list_for_user
    list_display = ["reminder", "channel", "recipient_key", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    readonly_fields = [f.name for f in Delivery._meta.fields]


class WebhookEndpointForm(forms.ModelForm):
    # The stored URL carries the bot's secret: it can be replaced, never read back.
    url = forms.CharField(
        label=_("apprise URL"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current URL."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["organization", "name", "kind", "url", "language", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url and self.instance.pk:
            return self.instance.url
        if not url:
            raise forms.ValidationError(_("This field is required."))
        return url

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("url") and data.get("kind"):
            try:
                validate_webhook_url(data["url"], kind=data["kind"])
            except ValidationError as exc:
                self.add_error("url", exc.message_dict["url"])
        return data


_ENDPOINT_FIELDS = ("name", "kind", "url", "language", "is_active")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(TenantAdmin[WebhookEndpoint]):
    scope = webhook_endpoint_list_for_user
    form = WebhookEndpointForm
    list_display = ["name", "organization", "kind", "masked", "is_active", "disabled_reason"]
    list_filter = ["kind", "is_active"]
    readonly_fields = ["masked"]

    @admin.display(description=_("URL"))
    def masked(self, obj):
        return mask_url(obj.url)

    def service_create(self, request: HttpRequest, form: ModelForm) -> WebhookEndpoint:
        return services.webhook_endpoint_create(
            user=request.user,
            organization=form.cleaned_data["organization"],
            **cleaned_fields(form, _ENDPOINT_FIELDS),
        )

    def service_update(
        self, request: HttpRequest, obj: WebhookEndpoint, form: ModelForm
    ) -> WebhookEndpoint:
        return services.webhook_endpoint_update(
            user=request.user,
            endpoint=obj,
            organization=form.cleaned_data.get("organization"),
            **cleaned_fields(form, _ENDPOINT_FIELDS),
        )

    def service_delete(self, request: HttpRequest, obj: WebhookEndpoint) -> None:
        services.webhook_endpoint_delete(user=request.user, endpoint=obj)


@admin.register(Notification)
class NotificationAdmin(TenantAdmin):
    """Read-only; a user's own notifications (everyone's for superusers)."""

    scope = notification_list_for_user
    list_display = ["title", "user", "kind", "created_at", "read_at", "acknowledged_at"]
    list_filter = ["kind"]


class _PerUserSettings(ServiceWritesMixin[_M], SuperuserOnlyAdmin):
    """A user's own settings, changed by the user on the notification pages; read-only here."""


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(_PerUserSettings[NotificationPreference]):
    list_display = ["user", "email", "in_app", "mode"]
    exclude = ["webhook_url"]  # carries a secret


@admin.register(Digest)
class DigestAdmin(_PerUserSettings[Digest]):
    list_display = ["user", "day", "sent_at", "attempts"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(_PerUserSettings[CalendarFeed]):
    list_display = ["user", "created_at", "last_used_at"]
    exclude = ["token_hash"]

    def service_delete(self, request: HttpRequest, obj: CalendarFeed) -> None:
        services.calendar_feed_revoke(user=obj.user)
