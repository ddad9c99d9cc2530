from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin

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
from .selectors import reminder_list_for_user, webhook_endpoint_list_for_user
from .services.inbox import validate_webhook_url


@admin.register(ReminderLadder)
class ReminderLadderAdmin(admin.ModelAdmin):
    list_display = ["organization", "rule", "offsets", "overdue_every_days", "roles"]
    list_filter = ["organization"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "recipient_key", "address", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields


@admin.register(Reminder)
class ReminderAdmin(ScopedAdmin):
    selector = reminder_list_for_user
    list_display = ["subject_name", "rule", "due_date", "step", "kind", "status", "due_at"]
    list_filter = ["status", "kind", "rule"]
    search_fields = ["subject_name"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["reminder", "channel", "recipient_key", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(reminder__in=reminder_list_for_user(user=request.user))


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

    def clean(self):
        data = super().clean()
        if data.get("url") and data.get("kind"):
            try:
                validate_webhook_url(data["url"], kind=data["kind"])
            except ValidationError as exc:
                self.add_error("url", exc.message_dict["url"])
        return data


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ScopedAdmin):
    selector = webhook_endpoint_list_for_user
    form = WebhookEndpointForm
    list_display = ["name", "organization", "kind", "masked", "is_active"]
    list_filter = ["kind", "is_active"]
    readonly_fields = ["masked"]

    @admin.display(description=_("URL"))
    def masked(self, obj):
        return mask_url(obj.url)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at", "acknowledged_at"]
    list_filter = ["kind"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(user=request.user)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "in_app", "mode"]
    exclude = ["webhook_url"]


admin.site.register(Digest, list_display=["user", "day", "sent_at", "attempts"])
admin.site.register(CalendarFeed, list_display=["user", "created_at", "last_used_at"])
