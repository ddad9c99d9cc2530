"""Every tenant-owned model's admin is TenantAdmin (scoped) or SuperuserOnlyAdmin."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model

from accounts.admin_scope import SuperuserOnlyAdmin, TenantAdmin
from documents.models import Document

TENANT_ROOTS = frozenset({"accounts.organization", "miniprograms.operator"})


def tenant_owned(model: type[Model], seen: frozenset[str] = frozenset()) -> bool:
    """The model is a tenant root, or one of its forward relations leads to one."""
    label = model._meta.label_lower
    if label in TENANT_ROOTS:
        return True
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and field.related_model):
            continue
        related = field.related_model
        assert not isinstance(related, str)  # "self" is resolved to the class once apps load
        if related._meta.label_lower in seen | {label}:
            continue
        if tenant_owned(related, seen | {label}):
            return True
    return False


def uncovered(site: admin.AdminSite) -> list[str]:
    return sorted(
        model._meta.label
        for model, model_admin in site._registry.items()
        if tenant_owned(model) and not isinstance(model_admin, TenantAdmin | SuperuserOnlyAdmin)
    )


def test_every_tenant_owned_admin_is_scoped_or_superuser_only():
    assert uncovered(admin.site) == []


def test_the_walk_finds_the_tenant_owned_models():
    owned = {m._meta.label for m in admin.site._registry if tenant_owned(m)}

    assert {
        "accounts.Organization",
        "accounts.Membership",
        "miniprograms.Operator",
        "documents.Document",
        "filings.RejectionReason",  # two hops: status change -> application -> operator
        "notifications.Delivery",
        "notifications.Notification",
        "notifications.WebhookEndpoint",
    } <= owned
    assert "miniprograms.Province" not in owned  # reference data


def test_a_plain_model_admin_on_a_tenant_model_is_reported():
    site = admin.AdminSite(name="probe")
    site.register(Document, admin.ModelAdmin)

    assert uncovered(site) == ["documents.Document"]


def test_user_and_per_user_settings_are_superuser_only():
    from accounts.models import User
    from notifications.models import CalendarFeed, Digest, NotificationPreference, ReminderLadder

    for model in (User, CalendarFeed, Digest, NotificationPreference, ReminderLadder):
        assert isinstance(admin.site._registry[model], SuperuserOnlyAdmin), model
