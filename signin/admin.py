"""The admin signs in through allauth (same throttle, second factor); allauth's own models
are for superusers only."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from accounts.admin_scope import SuperuserOnlyAdmin

from .invitations import admin as invitations_admin  # noqa: F401 (registers Invitation)
from .models import SecondFactor

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

# allauth's Authenticator has no translated name: the admin lists the same rows as "second
# factors" (superusers only; secrets never shown).
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(SecondFactor)
class SecondFactorAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = ("user", "type", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # set up by the user on the two-factor pages

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
