"""The sign-in policy form (an organization's managers)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignInPolicyForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication of every member"), required=False
    )
    password_sign_in = forms.BooleanField(
        label=_("Members may sign in with a password"),
        required=False,
        help_text=_("Turn off to let members in only through single sign-on."),
    )
