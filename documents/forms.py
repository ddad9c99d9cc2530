from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniprograms.models import Operator

from .models import DocType
from .services import MAX_UPLOAD_BYTES


class DocumentUploadForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocType.choices)
    miniprogram = forms.ModelChoiceField(
        label=_("Mini-program / app"), queryset=None, required=False
    )
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=None, required=False)
    preapproval = forms.ModelChoiceField(label=_("Pre-approval"), queryset=None, required=False)
    filing = forms.ModelChoiceField(label=_("Filing application"), queryset=None, required=False)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    name = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPG or PNG, at most %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, operator: Operator, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the operator's own services: the operator was fetched through a scoped selector.
        self.fields["miniprogram"].queryset = operator.miniprograms.order_by("name")
        self.fields["domain"].queryset = operator.domains.order_by("name")
        self.fields["preapproval"].queryset = operator.preapprovals.order_by("category")
        self.fields["filing"].queryset = operator.filings.select_related(
            "miniprogram", "domain", "operator"
        ).order_by("-pk")
