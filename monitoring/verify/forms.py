"""The upload form of a verification (the service checks type, size and dates again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.models.verify import VerificationKind


class VerificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was verified"), choices=VerificationKind.choices)
    verified_on = forms.DateField(
        label=_("Date verified"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    screenshot = forms.FileField(
        label=_("Screenshot"), help_text=_("PNG, JPG or PDF: the screen or the lookup result.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, about_screen: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("verified_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        if not about_screen:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101
            field.choices = [(VerificationKind.MIIT_LOOKUP, VerificationKind.MIIT_LOOKUP.label)]
