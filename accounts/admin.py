from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey, Model
from django.forms import BaseInlineFormSet, ModelChoiceField, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError

from . import services
from .access import organization_list_for_user
from .admin_scope import (
    ServiceRefusedError,
    SuperuserOnlyAdmin,
    TenantAdmin,
    cleaned_fields,
    refusal_messages,
)
from .models import Membership, Organization, Role, User

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from miniprograms.models import Operator


class AssignedOperatorInline(admin.TabularInline):
    """Operators a limited membership sees: rows of Operator.assigned_memberships' table."""

    model = Membership.operators.through
    extra = 0
    autocomplete_fields = ["operator"]
    verbose_name = _("assigned operator")
    verbose_name_plural = _("assigned operators")

    def get_formset(
        self, request: HttpRequest, obj: Membership | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        # Only the membership's own organization's operators can be assigned.
        setattr(  # noqa: B010 (read back by formfield_for_foreignkey on the same request)
            request, "_assigned_organization_id", obj.organization_id if obj is not None else None
        )
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "operator":
            # The through table's `operator` foreign key points at miniprograms.Operator.
            operators = cast("type[Operator]", db_field.related_model).objects.all()
            org_id = getattr(request, "_assigned_organization_id", None)
            if org_id is not None:
                operators = operators.filter(organization_id=org_id)
            if not request.user.is_superuser:
                orgs = organization_list_for_user(user=request.user)
                operators = operators.filter(organization__in=orgs)
            kwargs["queryset"] = operators
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, BaseUserAdmin):
    """Accounts span tenants: superusers only (Django's own password and permission forms)."""

    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Language"), {"fields": ("language",)}))
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "language"]


def _roles_field(name: str, label: str | _StrPromise) -> forms.MultipleChoiceField:
    """A role setting of the organization (a JSON list of roles) as checkboxes."""
    field = Organization._meta.get_field(name)
    return forms.MultipleChoiceField(
        label=label,
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=getattr(field, "help_text", ""),
    )


def sso_provider_choices() -> list[tuple[str, str]]:
    """The single sign-on providers this installation knows (settings.SSO_PROVIDER_IDS)."""
    names = {
        "wecom": _("WeCom"),
        "dingtalk": _("DingTalk"),
        "feishu": _("Feishu"),
        settings.SSO_OIDC_PROVIDER_ID: settings.SSO_OIDC_NAME,
    }
    return [(pid, str(names.get(pid, pid))) for pid in settings.SSO_PROVIDER_IDS]


class OrganizationForm(ModelForm):
    acknowledgement_roles = _roles_field(
        "acknowledgement_roles", _("Acknowledgements that stop the escalation")
    )
    personal_webhook_roles = _roles_field(
        "personal_webhook_roles", _("Roles offered a personal webhook")
    )
    sso_providers = forms.MultipleChoiceField(
        label=_("Single sign-on providers"),
        choices=sso_provider_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Members may sign in with these providers (once their identity is linked)."),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "slug",
            "kind",
            "acknowledgement_roles",
            "personal_webhook_roles",
            "sso_providers",
        ]


@admin.register(Organization)
class OrganizationAdmin(TenantAdmin[Organization]):
    scope = organization_list_for_user
    form = OrganizationForm
    list_display = ["name", "kind", "slug", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def service_create(self, request: HttpRequest, form: ModelForm) -> Organization:
        return services.organization_create(
            user=request.user, **cleaned_fields(form, services.ORGANIZATION_FIELDS)
        )

    def service_update(
        self, request: HttpRequest, obj: Organization, form: ModelForm
    ) -> Organization:
        return services.organization_update(
            user=request.user,
            organization=obj,
            **cleaned_fields(
                form, services.ORGANIZATION_FIELDS + services.ORGANIZATION_SETTINGS_FIELDS
            ),
        )


@admin.register(Membership)
class MembershipAdmin(TenantAdmin[Membership]):
    list_display = ["user", "organization", "role", "limited_to_assigned"]
    list_filter = ["role", "limited_to_assigned", "organization"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    inlines = [AssignedOperatorInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["user", "organization"] if obj is not None else []

    def service_create(self, request: HttpRequest, form: ModelForm) -> Membership:
        data = form.cleaned_data
        return services.membership_create(
            user=request.user,
            organization=data["organization"],
            member=data["user"],
            role=data["role"],
            limited_to_assigned=data["limited_to_assigned"],
        )

    def service_update(self, request: HttpRequest, obj: Membership, form: ModelForm) -> Membership:
        data = form.cleaned_data
        return services.membership_update(
            user=request.user,
            membership=obj,
            role=data["role"],
            limited_to_assigned=data["limited_to_assigned"],
        )

    def service_delete(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_delete(user=request.user, membership=obj)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        """The assigned-operators inline becomes the service's `operators` argument."""
        for formset in formsets:
            if formset.model is not Membership.operators.through:
                continue
            operators = [
                f.cleaned_data["operator"]
                for f in formset.forms
                if f.cleaned_data.get("operator") and not f.cleaned_data.get("DELETE")
            ]
            membership = Membership.objects.get(pk=form.instance.pk)
            try:
                services.membership_update(
                    user=request.user, membership=membership, operators=operators
                )
            except (ValidationError, ApplicationError) as exc:
                raise ServiceRefusedError(refusal_messages(exc)) from exc
            # What the admin's change message reads; the service wrote the rows.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
