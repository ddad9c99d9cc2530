from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin
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


class StatusChangeInline(admin.TabularInline):
    """Read-only: history is written by filings.services only."""

    model = FilingStatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "note", "reasons_text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("reasons"))
    def reasons_text(self, obj):
        return "; ".join(f"{r.field}: {r.error}" for r in obj.reasons.all())


class CommentInline(admin.TabularInline):
    """Read-only: comments are written from the application page or the API."""

    model = FilingComment
    extra = 0
    can_delete = False
    fields = ["created_at", "author", "body"]
    readonly_fields = fields

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
        self.fields["to"].choices = [(t, FilingStatus(t).label) for t in sorted(targets)]

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


@admin.register(FilingApplication)
class FilingApplicationAdmin(ScopedAdmin):
    selector = selectors.filing_list_for_user
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
    readonly_fields = ["status", "status_entered_at", "icp_number"]
    inlines = [StatusChangeInline, CommentInline]
    actions = ["submit_to_provider", "withdraw"]

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
class FilingStatusChangeAdmin(ScopedAdmin):
    """Read-only history; written by filings.services only."""

    list_display = ["filing", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]
    search_fields = ["filing__operator__name_zh", "note"]
    list_select_related = ["filing__operator", "filing__miniprogram", "filing__domain", "actor"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(filing__in=selectors.filing_list_for_user(user=request.user).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RejectionReason)
class RejectionReasonAdmin(ScopedAdmin):
    list_display = ["field", "error", "suggestion", "status_change"]
    search_fields = ["field", "error"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        visible = selectors.filing_list_for_user(user=request.user).values("pk")
        return qs.filter(status_change__filing__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
