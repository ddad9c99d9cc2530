"""Where a row's organization comes from.

The operator is the single source of truth: an operator-owned row (a mini-program, a filing, a
document, a reminder …) belongs to its operator's organization. Those rows keep an
`organization` column only as a denormalised copy, for the indexes and unique constraints
that lead with it. The copy is `editable=False` (never in a form or the admin), written only
by `save()` from its source, and checked by `miniprograms.integrity` (`manage.py
check_integrity`). Reads that choose rows by organization (the scope, the organization
switcher, the exports) go through `organization_lookup`, so they all read the operator's.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DerivedOrganization(models.Model):
    """Abstract: `organization` is a copy of `<organization_source>.organization`."""

    # The relation whose organization this row copies; "operator" for operator-owned rows.
    organization_source: ClassVar[str] = "operator"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "organization" in update_fields:
            self.sync_organization()
        super().save(*args, **kwargs)

    def sync_organization(self) -> None:
        """Copy the organization from the source relation (no query when it is cached)."""
        source = organization_source_field(type(self))
        if getattr(self, source.attname) is None:
            return  # full_clean reports the missing source
        self.organization_id = getattr(self, self.organization_source).organization_id


def organization_source_field(model: type[DerivedOrganization]) -> models.ForeignKey[Any, Any]:
    """The foreign key whose target's organization `model` copies."""
    field = model._meta.get_field(model.organization_source)
    if not isinstance(field, models.ForeignKey):
        raise ImproperlyConfigured(f"{model._meta.label}.organization_source is not a foreign key")
    return field


def organization_source_model(model: type[DerivedOrganization]) -> type[models.Model]:
    """The model whose organization `model` copies (e.g. Operator)."""
    related = organization_source_field(model).related_model
    if isinstance(related, str):  # "self" is resolved once the models are loaded
        raise ImproperlyConfigured(f"{model._meta.label}.organization_source is unresolved")
    return related


def derived_organization_models() -> list[type[DerivedOrganization]]:
    """Every installed model whose organization is a copy, in a stable order."""
    found = [m for m in apps.get_models() if issubclass(m, DerivedOrganization)]
    return sorted(found, key=lambda m: m._meta.label)


def organization_lookup(model: type[models.Model]) -> str:
    """The lookup that selects `model` rows by organization id.

    The operator's organization for operator-owned rows (following the source relation, so a
    notification reads its reminder's operator); the row's own column otherwise (operators
    themselves, and rows owned by an organization directly).
    """
    if issubclass(model, DerivedOrganization):
        source = model.organization_source
        return f"{source}__{organization_lookup(organization_source_model(model))}"
    return "organization_id"


def filter_by_organization(qs: models.QuerySet, organization_id: int) -> models.QuerySet:
    """Rows of `qs` that belong to `organization_id`, read the way the scope reads it."""
    return qs.filter(**{organization_lookup(qs.model): organization_id})
