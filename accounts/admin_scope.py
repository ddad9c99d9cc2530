"""The admin's two bases: every tenant-owned model's admin uses one of them.

- TenantAdmin: non-superuser staff see only what accounts.access lets them see (another
  tenant's object is a 404, like a missing one), foreign-key choices obey the same scope, and
  every write (add, change, delete, bulk delete) goes through the app's services, with their
  validation, role checks and history. A write the admin has no service hook for is not
  offered at all.
- SuperuserOnlyAdmin: invisible to anyone but superusers (platform data such as user accounts,
  per-user settings and the reminder ladders).

tests/accounts/test_admin_registry.py fails on a tenant-owned model registered with neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, TypeVar

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect

from accounts.access import operator_scope_q, organization_list_for_user
from accounts.types import User
from core.exceptions import ApplicationError

OPERATOR_LABEL = "miniprograms.operator"
ORGANIZATION_LABEL = "accounts.organization"

Scope = Callable[..., QuerySet[Any]]
_M = TypeVar("_M", bound=Model)


def scoped_queryset(qs: QuerySet[Any], *, user: User) -> QuerySet[Any] | None:
    """`qs` limited to what `user` may see, for models that carry their own tenancy
    (an organization, an operator, or an operator field); None when the model has none."""
    label = qs.model._meta.label_lower
    names = {f.name for f in qs.model._meta.get_fields() if f.concrete}
    if label == ORGANIZATION_LABEL:
        return qs.filter(pk__in=organization_list_for_user(user=user).values("pk"))
    if label == OPERATOR_LABEL:
        return qs.filter(operator_scope_q(user=user))
    if "operator" in names:
        return qs.filter(operator_scope_q(user=user, prefix="operator__"))
    if "organization" in names:
        return qs.filter(organization__in=organization_list_for_user(user=user).values("pk"))
    return None


def cleaned_fields(form: ModelForm, names: Iterable[str]) -> dict[str, Any]:
    """The named fields the admin form offered and cleaned, for a service's keyword arguments
    (read-only and excluded fields are absent, so the service keeps their stored values)."""
    return {n: form.cleaned_data[n] for n in names if n in form.cleaned_data}


def refusal_messages(exc: ValidationError | ApplicationError) -> list[str]:
    """The service's own words, for the admin's message bar."""
    if isinstance(exc, ApplicationError):
        return [str(exc.message)]
    if hasattr(exc, "error_dict"):
        return [
            f"{field}: {msg}" if field != "__all__" else msg
            for field, msgs in exc.message_dict.items()
            for msg in msgs
        ]
    return list(exc.messages)


class ServiceRefusedError(Exception):
    """A service refused an admin write; the admin shows its messages, nothing is saved."""

    def __init__(self, messages_: list[str]) -> None:
        super().__init__("; ".join(messages_))
        self.messages = messages_


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Only superusers see or touch these rows."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request) and super().has_delete_permission(request, obj)


class ServiceWritesMixin(Generic[_M]):
    """Admin writes delegate to services: override the hooks for the writes to offer.

    The hooks receive the admin form's cleaned data; whatever they raise
    (ValidationError, ApplicationError) is shown to the user and nothing is saved.
    Parametrize with the admin's model (`TenantAdmin[Operator]`) so the hooks get it typed.
    """

    def service_create(self, request: HttpRequest, form: ModelForm) -> _M:
        raise NotImplementedError

    def service_update(self, request: HttpRequest, obj: _M, form: ModelForm) -> _M:
        raise NotImplementedError

    def service_delete(self, request: HttpRequest, obj: _M) -> None:
        raise NotImplementedError

    def _offers(self, hook: str) -> bool:
        return getattr(type(self), hook) is not getattr(ServiceWritesMixin, hook)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._offers("service_create") and super().has_add_permission(request)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._offers("service_update") and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._offers("service_delete") and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: _M, form: ModelForm, change: bool) -> None:
        try:
            if change:
                # The service gets the stored row, not the one the form already changed: its
                # checks (who may edit, what may change) look at what is there now.
                stored = type(obj)._default_manager.get(pk=obj.pk)
                saved = self.service_update(request, stored, form)
            else:
                saved = self.service_create(request, form)
        except (ValidationError, ApplicationError) as exc:
            raise ServiceRefusedError(refusal_messages(exc)) from exc
        # The admin logs and redirects with the object it built; point it at the saved row.
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        """Nothing beyond the service: inlines on these admins are read-only history."""

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        try:
            self.service_delete(request, obj)
        except (ValidationError, ApplicationError) as exc:
            raise ServiceRefusedError(refusal_messages(exc)) from exc

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_M]) -> None:
        for obj in queryset:
            try:
                self.service_delete(request, obj)
            except (ValidationError, ApplicationError) as exc:
                text = "; ".join(refusal_messages(exc))
                self.message_user(request, f"{obj}: {text}", messages.WARNING)  # type: ignore[attr-defined]

    def _refused(self, request: HttpRequest, exc: ServiceRefusedError) -> HttpResponse:
        for text in exc.messages:
            self.message_user(request, text, messages.ERROR)  # type: ignore[attr-defined]
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except ServiceRefusedError as exc:  # the admin's atomic block rolled everything back
            return self._refused(request, exc)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]
        except ServiceRefusedError as exc:
            return self._refused(request, exc)


class TenantAdmin(ServiceWritesMixin[_M], admin.ModelAdmin):
    """A tenant-owned model: scoped for non-superuser staff, written through services.

    `scope` is the app's selector (`callable(user=...) -> QuerySet`) of the rows the user may
    see; without one the model's own organization/operator decides (scoped_queryset).
    """

    scope: ClassVar[Scope | None] = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        scope = type(self).scope
        if scope is not None:
            return qs.filter(pk__in=scope(user=request.user).values("pk"))
        scoped = scoped_queryset(qs, user=request.user)
        return qs.none() if scoped is None else scoped  # no rule known: show nothing

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        # Missing and "not yours" are the same answer: 404, never a hint that it exists.
        raise Http404

    def _scope_choices(self, db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        # Choices in forms obey the same scope as lists: no picking another tenant's rows.
        if not request.user.is_superuser and "queryset" not in kwargs:
            related = db_field.related_model._default_manager.all()
            scoped = scoped_queryset(related, user=request.user)
            if scoped is not None:
                kwargs["queryset"] = scoped

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
