"""The shared parts of every list filter: search, sort and scoped choices.

One `FilterSet` per resource (in the app that owns the resource) filters the API list, the
dashboard page and the export alike, so the same query string gives the same rows on all
three. The parameters are the same everywhere:

- `q` (or its alias `search`): every whitespace-separated term must occur, case-insensitively,
  in at least one of the resource's search fields;
- `sort` (or its alias `ordering`): one or more comma-separated sort keys, `-` for descending;
- the resource's own choice filters, and `operator` / `organization`, whose choices are only
  the rows the user may see: another tenant's id is refused exactly like a missing one.

An invalid value is an error (400 in the API and exports, a visible message on a page), never
a silently ignored filter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import django_filters
from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

ScopeSelector = Callable[..., QuerySet[Any]]

_TERM_SPLIT = re.compile(r"[\s,]+")


def search_terms(value: str) -> list[str]:
    """The terms of a search box value (split on whitespace and commas, like DRF's)."""
    return [t for t in _TERM_SPLIT.split(value.replace("\x00", "")) if t]


def search_q(fields: Sequence[str], value: str) -> Q:
    """AND over the terms, OR over the fields: each term must match some field."""
    q = Q()
    for term in search_terms(value):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term})
        q &= any_field
    return q


class SearchFilter(django_filters.CharFilter):
    """Free-text search across `fields` (the union of what every surface searched)."""

    def __init__(self, *, fields: Sequence[str], **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)
        self.search_fields = tuple(fields)

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value or not value.strip():
            return qs
        return qs.filter(search_q(self.search_fields, value))


class SortField(forms.CharField):
    """Comma-separated sort keys, each optionally prefixed by `-`, among `keys`."""

    def __init__(self, *, keys: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys = frozenset(keys)

    def clean(self, value: Any) -> list[str]:
        value = super().clean(value)
        if not value:
            return []
        parts = [p.strip() for p in value.split(",") if p.strip()]
        bad = [p for p in parts if p.lstrip("-") not in self.keys]
        if bad:
            raise forms.ValidationError(
                _("“%(value)s” is not a sort order here; use one of: %(keys)s."),
                code="invalid_choice",
                params={"value": bad[0], "keys": ", ".join(sorted(self.keys))},
            )
        return parts


@extend_schema_field(
    {"type": "string", "description": "Comma-separated sort keys, '-' first for descending."}
)
class SortFilter(django_filters.Filter):
    """`?sort=key` or `?sort=-key` (several comma-separated); `keys` maps key → model field.

    Without a value the `default` key applies. The primary key breaks ties so that pages
    are stable. `annotate` adds what a key needs (e.g. a count) only when it is used.
    """

    field_class = SortField

    def __init__(
        self,
        *,
        keys: Mapping[str, str],
        default: str = "",
        annotate: Mapping[str, Callable[[QuerySet[Any]], QuerySet[Any]]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label", _("Sort"))
        super().__init__(keys=list(keys), **kwargs)
        self.keys = dict(keys)
        self.default = default
        self.annotations = dict(annotate or {})

    def keys_in_effect(self, value: Sequence[str] | None) -> list[str]:
        """The cleaned sort keys, or the default key when there are none."""
        return list(value or []) or ([self.default] if self.default else [])

    def order_fields(self, value: Sequence[str]) -> list[str]:
        """The `order_by` arguments for the cleaned sort keys (the default when empty)."""
        keys = self.keys_in_effect(value)
        return [("-" if k.startswith("-") else "") + self.keys[k.lstrip("-")] for k in keys]

    def filter(self, qs: QuerySet[Any], value: Sequence[str] | None) -> QuerySet[Any]:
        keys = self.keys_in_effect(value)
        if not keys:
            return qs
        for key in keys:
            add = self.annotations.get(key.lstrip("-"))
            if add is not None:
                qs = add(qs)
        return qs.order_by(*self.order_fields(keys), "pk")


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice whose choices are the rows a user-scoped selector returns.

    The class-level `queryset` only names the model (for the API schema); the choices come
    from `scope(user=...)` for the filter set's user, so another tenant's id gets the same
    "Select a valid choice" error as an id that does not exist.
    """

    def __init__(self, *, scope: ScopeSelector, model: type[Model], **kwargs: Any) -> None:
        kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)
        self.scope = scope

    def get_queryset(self, request: Any) -> QuerySet[Any]:
        user = getattr(self.parent, "user", None)
        if user is None:
            return self.queryset.none()
        return self.scope(user=user).select_related(None).prefetch_related(None).order_by()


FILED_CHOICES = (("yes", _("Recorded")), ("no", _("Missing")))


class FiledFilter(django_filters.ChoiceFilter):
    """`?filed=yes|no`: whether the row has a filing number recorded."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", FILED_CHOICES)
        kwargs.setdefault("label", _("Filing number"))
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if value == "yes":
            return qs.exclude(**{self.field_name: ""})
        if value == "no":
            return qs.filter(**{self.field_name: ""})
        return qs


# Names the API used before the lists shared one filter; accepted everywhere as aliases.
PARAM_ALIASES = {"search": "q", "ordering": "sort", "operator__province": "province"}


class ListFilterSet(django_filters.FilterSet):
    """Base of every list filter: knows its user, with or without an HTTP request.

    The API's filter backend passes `request`; pages pass it too; exports pass `user=`
    directly. `search` and `ordering` are read as `q` and `sort` when those are absent.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        user: Any = None,
        prefix: str | None = None,
    ) -> None:
        super().__init__(
            data=_with_aliases(data), queryset=queryset, request=request, prefix=prefix
        )
        self.user = user if user is not None else getattr(request, "user", None)

    def sort_keys(self) -> list[str]:
        """The sort keys in effect (the default when absent or invalid), for pages."""
        for name, f in self.filters.items():
            if isinstance(f, SortFilter):
                value = self.form.cleaned_data.get(name) if self.is_valid() else None
                return f.keys_in_effect(value)
        return []

    def error_messages(self) -> list[str]:
        """Each invalid parameter as "Label: message", for a page to show above its list."""
        messages: list[str] = []
        for name, field_errors in self.errors.items():
            field = self.form.fields.get(name)
            label = str(field.label) if field is not None and field.label else name
            messages.extend(f"{label}: {message}" for message in field_errors)
        return messages

    def sort_value(self) -> str:
        """The `sort` value a page keeps in its form."""
        return ",".join(self.sort_keys())


def _with_aliases(data: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if data is None or not any(alias in data for alias in PARAM_ALIASES):
        return data
    merged = data.copy() if hasattr(data, "copy") else dict(data)
    for alias, name in PARAM_ALIASES.items():
        if alias in merged and not merged.get(name):
            merged[name] = merged[alias]
    return merged
