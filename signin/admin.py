"""The admin signs in through allauth (same throttle, second factor); allauth's own models
are for superusers only."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin

from accounts.admin_scope import SuperuserOnlyAdmin

ALLAUTH_APPS = ("account", "mfa", "socialaccount", "usersessions")

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]


def superuser_only_allauth_admins(site: admin.AdminSite) -> None:
    """Re-register allauth's admins (e-mail addresses, authenticators, social accounts,
    apps and tokens) as SuperuserOnlyAdmin: staff never see anyone's second factor."""
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label not in ALLAUTH_APPS or isinstance(model_admin, SuperuserOnlyAdmin):
            continue
        scoped = type(
            model_admin.__class__.__name__, (SuperuserOnlyAdmin, model_admin.__class__), {}
        )
        site.unregister(model)
        site.register(model, scoped)


superuser_only_allauth_admins(admin.site)
