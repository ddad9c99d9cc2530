from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import SuperuserOnlyAdmin, TenantAdmin, cleaned_fields
from core import pii

from . import selectors, services
from .models import (
    Domain,
    IcpLicence,
    IdType,
    MiniProgram,
    Operator,
    PreApproval,
    Province,
    ResponsiblePerson,
    TopLevelDomain,
)
from .validators import validate_resident_id


@admin.register(Province)
class ProvinceAdmin(SuperuserOnlyAdmin):  # reference data shared by every tenant
    list_display = [
        "code",
        "name_zh",
        "name_en",
        "icp_chars",
        "authority_zh",
        "review_working_days",
        "domain_min_validity_days",
        "entity_number_display",
        "shell_may_add_service",
    ]
    list_editable = ["domain_min_validity_days", "entity_number_display", "shell_may_add_service"]
    search_fields = ["code", "name_zh", "name_en", "icp_chars"]


@admin.register(TopLevelDomain)
class TopLevelDomainAdmin(SuperuserOnlyAdmin):  # reference data shared by every tenant
    list_display = ["name", "__str__", "status", "verified", "source"]
    list_filter = ["status", "verified"]
    search_fields = ["name"]


@admin.register(Operator)
class OperatorAdmin(TenantAdmin[Operator]):
    scope = selectors.operator_list_for_user
    list_display = ["name_zh", "entity_type", "uscc", "province", "entity_number", "organization"]
    list_filter = ["province", "entity_type", "organization"]
    search_fields = ["name_zh", "name_en", "uscc", "entity_number"]
    list_select_related = ["province", "organization"]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["organization", *services.OPERATOR_FIELDS]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["organization"] if obj is not None else []  # an operator never changes tenant

    def service_create(self, request: HttpRequest, form: ModelForm) -> Operator:
        fields = cleaned_fields(form, services.OPERATOR_FIELDS)
        return services.operator_create(
            user=request.user, organization_id=form.cleaned_data["organization"].pk, **fields
        )

    def service_update(self, request: HttpRequest, obj: Operator, form: ModelForm) -> Operator:
        fields = cleaned_fields(form, services.OPERATOR_FIELDS)
        return services.operator_update(user=request.user, operator=obj, **fields)


class ResponsiblePersonForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        help_text=_("Stored encrypted and shown masked. Leave empty to keep the current one."),
    )

    class Meta:
        model = ResponsiblePerson
        fields = [
            "operator",
            "role",
            "miniprogram",
            "domain",
            "name",
            "id_type",
            "id_expires_on",
            "mobile",
            "email",
            "emergency_contact",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        number = (data.get("id_number") or "").strip().upper()
        if not number and not self.instance.pk:
            self.add_error("id_number", _("Enter the ID number."))
        elif number and data.get("id_type") == IdType.RESIDENT_ID:
            try:
                data["id_number"] = validate_resident_id(number)
            except ValidationError as e:
                self.add_error("id_number", e)
        return data


@admin.register(ResponsiblePerson)
class ResponsiblePersonAdmin(TenantAdmin[ResponsiblePerson]):
    scope = selectors.person_list_for_user
    form = ResponsiblePersonForm
    list_display = [
        "name",
        "role",
        "operator",
        "id_type",
        "id_number_masked",
        "masked_mobile",
        "id_expires_on",
    ]
    list_filter = ["role", "id_type"]
    search_fields = ["name", "operator__name_zh"]
    readonly_fields = ["id_number_masked"]
    list_select_related = ["operator"]

    @admin.display(description=_("ID number"))
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.display(description=_("mobile"))
    def masked_mobile(self, obj):
        return pii.mask_phone(obj.mobile)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # The ID number is write-only (the masked value is shown); the operator is fixed.
        return ["id_number_masked", "operator"] if obj is not None else ["id_number_masked"]

    def service_create(self, request: HttpRequest, form: ModelForm) -> ResponsiblePerson:
        data = form.cleaned_data
        fields = cleaned_fields(form, services.PERSON_FIELDS)
        return services.person_create(
            user=request.user, operator=data["operator"], id_number=data["id_number"], **fields
        )

    def service_update(
        self, request: HttpRequest, obj: ResponsiblePerson, form: ModelForm
    ) -> ResponsiblePerson:
        fields = cleaned_fields(form, services.PERSON_FIELDS)
        return services.person_update(
            user=request.user, person=obj, id_number=form.cleaned_data["id_number"], **fields
        )


class OperatorServiceAdmin(TenantAdmin[Model]):
    """Mini-programs and domains: created under an operator, edited through their service."""

    create_service: Any = None
    update_service: Any = None
    editable: tuple[str, ...] = ()
    kwarg = ""

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["operator", *self.editable]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["operator"] if obj is not None else []

    def service_create(self, request: HttpRequest, form: ModelForm) -> Model:
        fields = cleaned_fields(form, self.editable)
        operator = form.cleaned_data["operator"]
        return type(self).create_service(user=request.user, operator=operator, **fields)

    def service_update(self, request: HttpRequest, obj: Model, form: ModelForm) -> Model:
        fields = cleaned_fields(form, self.editable)
        return type(self).update_service(user=request.user, **{self.kwarg: obj}, **fields)


@admin.register(MiniProgram)
class MiniProgramAdmin(OperatorServiceAdmin):
    scope = selectors.miniprogram_list_for_user
    create_service = services.miniprogram_create
    update_service = services.miniprogram_update
    editable = services.MINIPROGRAM_FIELDS
    kwarg = "miniprogram"
    list_display = [
        "name",
        "kind",
        "platform",
        "appid",
        "operator",
        "launch_date",
        "lifecycle",
        "icp_number",
    ]
    list_filter = ["kind", "platform", "lifecycle"]
    search_fields = ["name", "appid", "icp_number", "operator__name_zh"]
    list_select_related = ["operator"]
    date_hierarchy = "launch_date"


@admin.register(Domain)
class DomainAdmin(OperatorServiceAdmin):
    scope = selectors.domain_list_for_user
    create_service = services.domain_create
    update_service = services.domain_update
    editable = services.DOMAIN_FIELDS
    kwarg = "domain"
    list_display = [
        "domain_name",
        "operator",
        "tld_status",
        "real_name_status",
        "registrant_name",
        "expires_on",
        "icp_number",
    ]
    list_filter = ["real_name_status"]
    search_fields = ["name", "registrant_name", "icp_number", "operator__name_zh"]
    list_select_related = ["operator", "tld"]

    @admin.display(description=_("domain name"), ordering="name")
    def domain_name(self, obj: Domain) -> str:
        return obj.display_name

    @admin.display(description=_("TLD status"))
    def tld_status(self, obj: Domain) -> str:
        return obj.tld_status_display


@admin.register(PreApproval)
class PreApprovalAdmin(TenantAdmin[PreApproval]):
    """Added, changed and renewed through the services."""

    scope = selectors.preapproval_list_for_user

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["operator"] if obj is not None else []

    def service_create(self, request: HttpRequest, form: ModelForm) -> PreApproval:
        data = dict(form.cleaned_data)
        operator = data.pop("operator")
        return services.preapproval_create(user=request.user, operator=operator, **data)

    def service_update(
        self, request: HttpRequest, obj: PreApproval, form: ModelForm
    ) -> PreApproval:
        fields = cleaned_fields(form, services.PREAPPROVAL_FIELDS)
        return services.preapproval_update(user=request.user, preapproval=obj, **fields)

    list_display = ["category", "operator", "authority", "licence_number", "expires_on"]
    search_fields = ["category", "licence_number", "operator__name_zh"]


@admin.register(IcpLicence)
class IcpLicenceAdmin(TenantAdmin[IcpLicence]):
    """Added, changed and renewed through the services; the last reported year then moves
    only with a recorded annual report (documents.licence_reports)."""

    scope = selectors.licence_list_for_user

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return ["operator", "last_annual_report_year"] if obj is not None else []

    def service_create(self, request: HttpRequest, form: ModelForm) -> IcpLicence:
        data = dict(form.cleaned_data)
        operator = data.pop("operator")
        return services.licence_create(user=request.user, operator=operator, **data)

    def service_update(self, request: HttpRequest, obj: IcpLicence, form: ModelForm) -> IcpLicence:
        fields = cleaned_fields(form, services.LICENCE_FIELDS)
        return services.licence_update(user=request.user, licence=obj, **fields)

    list_display = [
        "number",
        "operator",
        "scope",
        "issued_on",
        "expires_on",
        "last_annual_report_year",
    ]
    list_filter = ["last_annual_report_year"]
    search_fields = ["number", "operator__name_zh"]
    list_select_related = ["operator"]
    date_hierarchy = "expires_on"
