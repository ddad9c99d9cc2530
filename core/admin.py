"""Admin plumbing: every tenant-owned admin is scoped through the same selectors as the API."""

from django.contrib import admin


class ScopedAdmin(admin.ModelAdmin):
    """Staff who are not superusers see only what their memberships let them see.

    An object outside the scope is treated by the admin exactly like a missing one.
    """

    selector = None  # callable(user=...) -> QuerySet

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser or self.selector is None:
            return qs
        return qs.filter(pk__in=type(self).selector(user=request.user).values("pk"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices in forms obey the same scope as lists: no picking another tenant's rows.
        if not request.user.is_superuser:
            from accounts.access import organization_list_for_user
            from miniprograms import selectors as register

            scoped = {
                "accounts.organization": organization_list_for_user,
                "miniprograms.operator": register.operator_list_for_user,
                "miniprograms.miniprogram": register.miniprogram_list_for_user,
                "miniprograms.domain": register.domain_list_for_user,
            }.get(db_field.related_model._meta.label_lower)
            if scoped is not None:
                kwargs["queryset"] = scoped(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
