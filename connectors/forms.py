"""Forms of the connector pages. The credential fields come from the kind (registry): a
secret is a password input that never renders a stored value, and left empty on an edit it
keeps the stored one (ConnectorKind.clean_credentials)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import operator_scope_q
from accounts.models import Organization
from accounts.types import User
from miniprograms.models import MiniProgram, Operator

from .registry import ConnectorKind

CREDENTIAL_PREFIX = "cred_"


class AccountForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    operator = forms.ModelChoiceField(
        label=_("Filing entity"), queryset=Operator.objects.none(), required=False
    )
    cadence_minutes = forms.IntegerField(
        label=_("Sync every (minutes)"), min_value=15, max_value=7 * 24 * 60, initial=60
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        kind: ConnectorKind,
        user: User,
        organizations: Any,
        editing: bool = False,
        stored: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        stored_names = stored
        if editing:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
            if organizations.count() == 1:
                self.fields["organization"].initial = organizations.first()
        if kind.needs_operator:
            operators = Operator.objects.filter(operator_scope_q(user=user)).order_by("name_zh")
            self.fields["operator"].queryset = operators  # type: ignore[attr-defined]
            self.fields["operator"].required = True
        else:
            del self.fields["operator"]
        for f in kind.credential_fields:
            # On an edit no stored value is rendered (not even an identifier): every field
            # may be left empty to keep what is stored.
            keep = editing and f.name in stored_names
            widget: forms.Widget = (
                forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
                if f.secret
                else forms.TextInput(attrs={"autocomplete": "off"})
            )
            self.fields[CREDENTIAL_PREFIX + f.name] = forms.CharField(
                label=f.label,
                required=f.required and not keep,
                help_text=_("Stored; leave empty to keep it.") if keep else f.help_text,
                widget=widget,
                strip=True,
            )

    def credentials(self) -> dict[str, str]:
        return {
            f.name: self.cleaned_data.get(CREDENTIAL_PREFIX + f.name, "")
            for f in self.kind.credential_fields
        }

    def service_fields(self) -> dict[str, Any]:
        data = {
            k: self.cleaned_data[k]
            for k in ("name", "cadence_minutes", "enabled", "operator", "organization")
            if k in self.cleaned_data
        }
        data["credentials"] = self.credentials()
        return data


class LinkCreateForm(forms.Form):
    """Create the missing mini-program of a vendor object in the register."""

    operator = forms.ModelChoiceField(label=_("Operator"), queryset=Operator.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100, required=False)

    def __init__(self, *args: Any, user: User, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Operator.objects.filter(  # type: ignore[attr-defined]
            operator_scope_q(user=user), organization_id=organization_id
        ).order_by("name_zh")


class LinkExistingForm(forms.Form):
    """Tie a vendor object to a mini-program already in the register."""

    miniprogram = forms.ModelChoiceField(
        label=_("Mini-program / app"), queryset=MiniProgram.objects.none()
    )

    def __init__(self, *args: Any, user: User, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["miniprogram"].queryset = MiniProgram.objects.filter(  # type: ignore[attr-defined]
            operator_scope_q(user=user, prefix="operator__"), organization_id=organization_id
        ).order_by("name")
