"""The second factors as the admin lists them (allauth's Authenticator has no translated name)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _


class SecondFactor(Authenticator):
    """A user's authenticator app, security key or recovery codes: a superuser removes a lost
    one in the admin, and the user sets up a new one at the next sign-in."""

    class Meta:
        proxy = True
        verbose_name = _("second factor")
        verbose_name_plural = _("second factors")
