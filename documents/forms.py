from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Model, QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from filings.models import FilingApplication
from miniprograms.models import Domain, MiniProgram, Operator, PreApproval

from .models import DocType
from .services import MAX_UPLOAD_BYTES


def _upload_hint_text() -> str:
    # Formatted when shown: a lazy string formatted here would freeze in the import's language.
    return gettext("PDF, JPG or PNG, at most %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}


_upload_hint = lazy(_upload_hint_text, str)


class DocumentUploadForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocType.choices)
    # Querysets are set per operator in __init__.
    miniprogram: forms.ModelChoiceField[MiniProgram] = forms.ModelChoiceField(
        label=_("Mini-program / app"), queryset=None, required=False
    )
    domain: forms.ModelChoiceField[Domain] = forms.ModelChoiceField(
        label=_("Domain"), queryset=None, required=False
    )
    preapproval: forms.ModelChoiceField[PreApproval] = forms.ModelChoiceField(
        label=_("Pre-approval"), queryset=None, required=False
    )
    filing: forms.ModelChoiceField[FilingApplication] = forms.ModelChoiceField(
        label=_("Filing application"), queryset=None, required=False
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    name = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_upload_hint(),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, operator: Operator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the operator's own services: the operator was fetched through a scoped selector.
        self._limit("miniprogram", operator.miniprograms.order_by("name"))
        self._limit("domain", operator.domains.order_by("name"))
        self._limit("preapproval", operator.preapprovals.order_by("category"))
        self._limit(
            "filing",
            operator.filings.select_related("miniprogram", "domain", "operator").order_by("-pk"),
        )

    def _limit(self, name: str, queryset: QuerySet[Model]) -> None:
        # self.fields holds copies of the ModelChoiceFields declared above.
        cast("forms.ModelChoiceField[Model]", self.fields[name]).queryset = queryset
