"""Forms only parse and render; every write goes through the apps' services."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.db.models import Model, QuerySet
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from core.idempotency import IdempotencyKeyField
from filings.models import FilingApplication, FilingStatus
from icp import review_fields
from miniprograms.models import Domain, IdType, MiniProgram, Operator, PersonRole
from miniprograms.services import DOMAIN_FIELDS, MINIPROGRAM_FIELDS, OPERATOR_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _limit_choices(form: forms.Form, **querysets: QuerySet[Any]) -> None:
    """Offer only these rows in the form's declared ModelChoiceFields."""
    for name, queryset in querysets.items():
        cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


class _ModelFieldsForm(forms.Form):
    """A plain form whose fields come from a model: no ModelForm saving, no instance."""

    model: ClassVar[type[Model]]  # set by each subclass
    model_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        generated = fields_for_model(self.model, fields=self.model_fields)
        # Services normalise (USCC, domains, numbers); keep the raw text for them.
        for name in self.model_fields:
            field = generated[name]
            if isinstance(field, forms.DateField):
                field.widget = DATE
            self.fields[name] = field
        self.order_fields([*self.extra_first(), *self.model_fields])

    def extra_first(self) -> list[str]:
        return []


class OperatorForm(_ModelFieldsForm):
    model = Operator
    model_fields = OPERATOR_FIELDS

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"] = forms.ModelChoiceField(
                queryset=organizations, label=_("Organization"), empty_label=None
            )
            self.order_fields(["organization", *self.model_fields])
        self.fields["uscc"].help_text = _("18 characters, as on the business licence.")


class _ServiceChoiceForm(forms.Form):
    """Something that belongs to one of the operator's services (or to the operator itself)."""

    miniprogram = forms.ModelChoiceField(
        label=_("Mini-program / app"), queryset=MiniProgram.objects.none(), required=False
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"), queryset=Domain.objects.none(), required=False
    )

    def __init__(self, *args, miniprograms, domains, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_choices(self, miniprogram=miniprograms, domain=domains)
        # The service choice reads best after the form's own fields.
        own = [name for name in self.fields if name not in ("miniprogram", "domain")]
        self.order_fields([*own, "miniprogram", "domain"])


class PersonForm(_ServiceChoiceForm):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        help_text=_("Stored encrypted and shown masked (PIPL)."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    id_expires_on = forms.DateField(
        label=_("ID valid until"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for long-term (长期)."),
    )
    mobile = forms.CharField(label=_("Mobile"), max_length=20)
    email = forms.EmailField(label=_("E-mail"), required=False)
    emergency_contact = forms.CharField(label=_("Emergency contact"), required=False)


class PersonEditForm(PersonForm):
    """Editing a person: the ID number is write-only, blank keeps the recorded one."""

    def __init__(self, *args, masked_number: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["id_number"]
        field.required = False
        field.label = _("New ID number")
        field.help_text = _(
            "Only when the renewed document has a new number. Leave blank to keep the "
            "recorded number (%(masked)s). Stored encrypted and shown masked (PIPL)."
        ) % {"masked": masked_number or "—"}
        self.fields["id_expires_on"].help_text = _(
            "After a renewal, the new document's expiry date. Leave empty for long-term (长期)."
        )


class _ServiceForm(_ModelFieldsForm):
    def __init__(self, *args, operators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if operators is not None:
            self.fields["operator"] = forms.ModelChoiceField(
                queryset=operators, label=_("Operator")
            )
            self.order_fields(["operator", *self.model_fields])


class MiniProgramForm(_ServiceForm):
    model = MiniProgram
    model_fields = MINIPROGRAM_FIELDS


class DomainForm(_ServiceForm):
    model = Domain
    model_fields = DOMAIN_FIELDS


class FilingForm(forms.Form):
    operator = forms.ModelChoiceField(queryset=Operator.objects.none(), label=_("Operator"))
    kind = fields_for_model(FilingApplication, fields=["kind"])["kind"]
    channel = fields_for_model(FilingApplication, fields=["channel"])["channel"]
    miniprogram = forms.ModelChoiceField(
        queryset=MiniProgram.objects.none(), required=False, label=_("Mini-program / app")
    )
    domain = forms.ModelChoiceField(
        queryset=Domain.objects.none(), required=False, label=_("Domain")
    )
    reference = forms.CharField(label=_("Provider's order number"), required=False, max_length=100)
    planned_for = forms.DateField(
        label=_("Planned change date"),
        required=False,
        widget=DATE,
        help_text=_("For change filings: when the change takes effect (file 30 days ahead)."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # A double submit creates one draft (core.idempotency).
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, operators, miniprograms, domains, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_choices(self, operator=operators, miniprogram=miniprograms, domain=domains)


class FilingEditForm(forms.Form):
    """Details of an existing application; kind and channel only while it is a draft."""

    kind = fields_for_model(FilingApplication, fields=["kind"])["kind"]
    channel = fields_for_model(FilingApplication, fields=["channel"])["channel"]
    reference = FilingForm.base_fields["reference"]
    planned_for = FilingForm.base_fields["planned_for"]
    notes = FilingForm.base_fields["notes"]

    def __init__(self, *args, is_draft: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_draft:
            del self.fields["kind"], self.fields["channel"]


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the timeline"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, to_status: str, may_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if may_override:
            self.fields["readiness_override"] = forms.CharField(
                label=_("Submit anyway: reason (managers)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "Recorded in the timeline with your name and the list of what was missing."
                ),
            )
        if to_status == FilingStatus.APPROVED:
            self.fields["icp_number"] = forms.CharField(
                label=_("Filing number issued"),
                max_length=40,
                help_text=_("As on the approval notice, e.g. 粤ICP备2024286477号-1X."),
            )


class ReasonForm(forms.Form):
    field = forms.ChoiceField(label=_("Field concerned"), choices=())
    field_text = forms.CharField(label=_("Field, if “other”"), max_length=100, required=False)
    error = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 2}))
    suggestion = forms.CharField(
        label=_("Suggested fix"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["field"])
        field.choices = [("", "—"), *review_fields.field_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("field") == review_fields.OTHER and not data.get("field_text", "").strip():
            self.add_error("field_text", _("Name the field when you choose “other”."))
        return data


class _ReasonBaseFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data]
        if not filled:
            raise forms.ValidationError(
                _("Give at least one reason so the operator knows what to correct.")
            )


# One row to start with; "Add another reason" (static/js/reason_rows.js) adds rows from the
# empty form and removes them, renumbering the rest; an added row left empty is ignored.
ReasonFormSet = forms.formset_factory(
    ReasonForm,
    formset=_ReasonBaseFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=20,
    validate_max=True,
)


class NumberCheckForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=100,
        help_text=_("A filing, licence or public-security number, as printed."),
    )


class PreApprovalForm(_ServiceChoiceForm):
    category = forms.CharField(
        label=_("Category"), max_length=100, help_text=_("For example 新闻, 出版, 药品和医疗器械.")
    )
    authority = forms.CharField(label=_("Issuing authority"), max_length=200, required=False)
    licence_number = forms.CharField(label=_("Licence number"), max_length=100, required=False)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("miniprogram") and data.get("domain"):
            raise forms.ValidationError(_("Choose a mini-program or a domain, not both."))
        return data


class LicenceForm(forms.Form):
    """A commercial ICP licence; renewing it is entering the new validity dates."""

    number = forms.CharField(
        label=_("Licence number"),
        max_length=40,
        help_text=_("As on the licence, e.g. 粤B2-20090059."),
    )
    scope = forms.CharField(label=_("Business scope"), max_length=200, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE,
        help_text=_("Renewal reminders are counted from this date."),
    )


class AnnualReportForm(forms.Form):
    """One year's annual report of a licence, with the receipt as evidence."""

    year = forms.IntegerField(
        label=_("Report year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The year the report covers (filed from January to March of the next)."),
    )
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("The submission receipt from the telecom business system: PDF, JPG or PNG."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
