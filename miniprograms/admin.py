from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core import pii
from core.admin import ScopedAdmin

from . import selectors
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
class ProvinceAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_zh",
        "name_en",
        "icp_chars",
        "authority_zh",
        "review_working_days",
    ]
    search_fields = ["code", "name_zh", "name_en", "icp_chars"]


@admin.register(TopLevelDomain)
class TopLevelDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "__str__", "status", "verified", "source"]
    list_filter = ["status", "verified"]
    search_fields = ["name"]


@admin.register(Operator)
class OperatorAdmin(ScopedAdmin):
    selector = selectors.operator_list_for_user
    list_display = ["name_zh", "entity_type", "uscc", "province", "entity_number", "organization"]
    list_filter = ["province", "entity_type", "organization"]
    search_fields = ["name_zh", "name_en", "uscc", "entity_number"]
    list_select_related = ["province", "organization"]

    def get_readonly_fields(self, request: HttpRequest, obj: Operator | None = None) -> list[str]:
        # An operator stays in its organization: its rows copy it (miniprograms.ownership).
        return ["organization"] if obj is not None else []


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

    def clean(self):
        data = super().clean()
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
class ResponsiblePersonAdmin(ScopedAdmin):
    selector = selectors.person_list_for_user
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

    @admin.display(description=_("mobile"))
    def masked_mobile(self, obj):
        return pii.mask_phone(obj.mobile)

    def save_model(self, request, obj, form, change):
        number = form.cleaned_data.get("id_number")
        if number:
            obj.id_number_encrypted = pii.encrypt(number)
            obj.id_number_hash = pii.blind_index(number)
        super().save_model(request, obj, form, change)


@admin.register(MiniProgram)
class MiniProgramAdmin(ScopedAdmin):
    selector = selectors.miniprogram_list_for_user
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
class DomainAdmin(ScopedAdmin):
    selector = selectors.domain_list_for_user
    list_display = [
        "display_name",
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


@admin.register(PreApproval)
class PreApprovalAdmin(ScopedAdmin):
    selector = selectors.preapproval_list_for_user
    list_display = ["category", "operator", "authority", "licence_number", "expires_on"]
    search_fields = ["category", "licence_number", "operator__name_zh"]


@admin.register(IcpLicence)
class IcpLicenceAdmin(ScopedAdmin):
    selector = selectors.licence_list_for_user
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
