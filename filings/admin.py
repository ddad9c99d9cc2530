from typing import cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import TenantAdmin, cleaned_fields
from core.exceptions import ApplicationError
from icp.workflow import REJECTED, allowed_targets

from . import selectors, services
from .models import (
    FilingApplication,
    FilingComment,
    FilingStatus,
    FilingStatusChange,
    RejectionReason,
)

# One list for both: the inlines show these and let none of them be edited.
_STATUS_CHANGE_FIELDS = (
    "created_at",
    "from_status",
    "to_status",
    "actor",
    "note",
    "override_reason",
    "reasons_text",
)
_COMMENT_FIELDS = ("created_at", "author", "body")


class StatusChangeInline(admin.TabularInline):
    """Read-only: history is written by filings.services only."""

    model = FilingStatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = _STATUS_CHANGE_FIELDS

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("reasons"))
    def reasons_text(self, obj):
        return "; ".join(f"{r.field_label}: {r.error}" for r in obj.reasons.all())


class CommentInline(admin.TabularInline):
    """Read-only: comments are written from the application page or the API."""

    model = FilingComment
    extra = 0
    can_delete = False
    fields = readonly_fields = _COMMENT_FIELDS

    def has_add_permission(self, request, obj=None):
        return False


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    icp_number = forms.CharField(label=_("Filing number (for approval)"), required=False)
    reasons = forms.CharField(
        label=_("Reasons (for rejection)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: field | problem | suggested fix"),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to"]).choices = [
            (t, FilingStatus(t).label) for t in sorted(targets)
        ]

    def reason_list(self):
        rows = []
        for line in self.cleaned_data["reasons"].splitlines():
            parts = [p.strip() for p in line.split("|")]
            if any(parts):
                rows.append(
                    {
                        "field": parts[0],
                        "error": parts[1] if len(parts) > 1 else "",
                        "suggestion": parts[2] if len(parts) > 2 else "",
                    }
                )
        return rows


FILING_CREATE_FIELDS = (
    "operator",
    "kind",
    "channel",
    "miniprogram",
    "domain",
    "reference",
    "notes",
    "planned_for",
)
FILING_UPDATE_FIELDS = ("kind", "channel", "reference", "notes", "planned_for")


@admin.register(FilingApplication)
class FilingApplicationAdmin(TenantAdmin):
    scope = selectors.filing_list_for_user
    list_display = [
        "id",
        "operator",
        "subject",
        "kind",
        "channel",
        "status",
        "status_entered_at",
        "icp_number",
        "transition_link",
    ]
    list_filter = ["status", "kind", "channel", "operator__province"]
    search_fields = [
        "operator__name_zh",
        "icp_number",
        "reference",
        "miniprogram__name",
        "domain__name",
    ]
    list_select_related = ["operator", "miniprogram", "domain"]
    inlines = [StatusChangeInline, CommentInline]
    actions = ["submit_to_provider", "withdraw"]

    def get_fields(self, request, obj=None):
        return [*FILING_CREATE_FIELDS, "status", "status_entered_at", "icp_number"]

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through filing_transition (the "Move…" page and actions).
        fixed = ["status", "status_entered_at", "icp_number"]
        return [*fixed, "operator", "miniprogram", "domain"] if obj is not None else fixed

    def service_create(self, request, form):
        return services.filing_create(
            user=request.user, **cleaned_fields(form, FILING_CREATE_FIELDS)
        )

    def service_update(self, request, obj, form):
        return services.filing_update(
            user=request.user, filing=obj, **cleaned_fields(form, FILING_UPDATE_FIELDS)
        )

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return obj.subject_name

    @admin.display(description=_("workflow"))
    def transition_link(self, obj):
        url = reverse("admin:filings_filingapplication_transition", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Move…"))

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="filings_filingapplication_transition",
            )
        ]
        return extra + super().get_urls()

    def transition_view(self, request, pk):
        filing = get_object_or_404(self.get_queryset(request), pk=pk)
        targets = allowed_targets(filing.status, kind=filing.kind, channel=filing.channel)
        form = TransitionForm(request.POST or None, targets=targets)
        if request.method == "POST" and form.is_valid():
            try:
                services.filing_transition(
                    filing_id=filing.pk,
                    to_status=form.cleaned_data["to"],
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    icp_number=form.cleaned_data["icp_number"],
                    reasons=form.reason_list() if form.cleaned_data["to"] in REJECTED else (),
                )
            except ValidationError as e:
                for msg in e.messages:
                    form.add_error(None, msg)
            except ApplicationError as e:
                form.add_error(None, e.message)
            else:
                self.message_user(request, _("Application moved."), messages.SUCCESS)
                return redirect("admin:filings_filingapplication_change", filing.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Move application #%(id)s") % {"id": filing.pk},
            "filing": filing,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/filings/transition.html", context)

    def _bulk(self, request, queryset, to_status):
        moved = 0
        for filing in queryset:
            try:
                services.filing_transition(
                    filing_id=filing.pk, to_status=to_status, actor=request.user
                )
                moved += 1
            except (ApplicationError, ValidationError) as e:
                msg = e.message if isinstance(e, ApplicationError) else "; ".join(e.messages)
                self.message_user(request, f"#{filing.pk}: {msg}", messages.WARNING)
        self.message_user(request, _("%(n)d application(s) moved.") % {"n": moved})

    @admin.action(description=_("Submit to provider review"))
    def submit_to_provider(self, request, queryset):
        self._bulk(request, queryset, FilingStatus.PROVIDER_REVIEW)

    @admin.action(description=_("Withdraw"))
    def withdraw(self, request, queryset):
        self._bulk(request, queryset, FilingStatus.WITHDRAWN)


@admin.register(FilingStatusChange)
class FilingStatusChangeAdmin(TenantAdmin):
    """Read-only history; written by filings.services only."""

    scope = selectors.status_change_list_for_user

    list_display = ["filing", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]
    search_fields = ["filing__operator__name_zh", "note", "override_reason"]
    list_select_related = ["filing__operator", "filing__miniprogram", "filing__domain", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RejectionReason)
class RejectionReasonAdmin(TenantAdmin):
    scope = selectors.rejection_reason_list_for_user
    list_display = ["field", "field_text", "error", "suggestion", "status_change"]
    search_fields = ["field", "field_text", "error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
