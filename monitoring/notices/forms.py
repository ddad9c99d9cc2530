"""Forms of the notice and record pages; the services validate again (they are the rule)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.models import FilingApplication, FilingKind
from miniprograms.models import RecordSource, RecordState

from ..models import NoticeProvider

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_D = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoticeForm(forms.Form):
    provider = forms.ChoiceField(label=_("Provider"), choices=NoticeProvider.choices)
    provider_name = forms.CharField(
        label=_("Provider (name)"),
        max_length=100,
        required=False,
        help_text=_("When the provider is not in the list."),
    )
    received_at = forms.DateTimeField(label=_("Received at (Beijing time)"), widget=_DT)
    deadline_at = forms.DateTimeField(label=_("Deadline (Beijing time)"), widget=_DT)
    fields_to_fix = forms.CharField(
        label=_("Fields to fix"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, as the notice names them."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("Evidence (the e-mail or a screenshot)"),
        required=False,
        help_text=_("EML, PDF, JPG or PNG."),
    )

    def cleaned_fields_to_fix(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["fields_to_fix"].splitlines()]


class ResolveForm(forms.Form):
    fix_filing = forms.ModelChoiceField(
        label=_("Change filing"),
        queryset=FilingApplication.objects.none(),
        required=False,
        help_text=_("The change filing that fixes the information."),
    )
    evidence = forms.FileField(label=_("Evidence of the fix"), required=False)
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, notice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = "domain" if notice.domain_id else "miniprogram"
        self.fields["fix_filing"].queryset = FilingApplication.objects.filter(  # type: ignore[attr-defined]
            operator_id=notice.operator_id,
            kind=FilingKind.CHANGE,
            **{f"{field}_id": notice.domain_id or notice.miniprogram_id},
        ).order_by("-pk")


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


# The record form sits on the service page next to others: its fields carry this prefix.
RECORD_FORM_PREFIX = "record"


class RecordChangeForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New record state"), choices=RecordState.choices)
    effective_on = forms.DateField(label=_("Effective on"), widget=_D)
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[(v, label) for v, label in RecordSource.choices if v != RecordSource.FILING],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)
