"""Checks that the denormalised organization copies agree with their source of truth.

See `miniprograms.ownership`: an operator-owned row's organization is its operator's. Two things
can disagree with that, and both are reported here (`manage.py check_integrity`):
- a row whose `organization` column differs from its source's (written around `save()`, e.g. by
  `QuerySet.update()` or raw SQL);
- an operator assigned to a membership of another organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery

from .models import Operator
from .ownership import (
    DerivedOrganization,
    derived_organization_models,
    organization_source_field,
    organization_source_model,
)


@dataclass(frozen=True)
class Mismatch:
    """One row whose organization disagrees with the one it should copy."""

    model: str  # app_label.ModelName
    pk: int
    organization_id: int | None  # what the row says
    expected_organization_id: int | None  # what its source says


def _source_lookup(model: type[DerivedOrganization]) -> str:
    return f"{model.organization_source}__organization_id"


def _disagreeing(model: type[DerivedOrganization]) -> models.QuerySet:
    # Seen as a plain model: the abstract base declares no field to check the lookup against.
    concrete: type[models.Model] = model
    lookup = _source_lookup(model)
    return concrete._default_manager.exclude(organization_id=F(lookup)).order_by("pk")


def organization_mismatches() -> list[Mismatch]:
    """Every row whose organization copy disagrees with its source, model by model."""
    found: list[Mismatch] = []
    for model in derived_organization_models():
        rows = _disagreeing(model).values_list("pk", "organization_id", _source_lookup(model))
        found += [Mismatch(model._meta.label, pk, org, expected) for pk, org, expected in rows]
    through = Operator.assigned_memberships.through
    assignments = (
        through.objects.exclude(operator__organization_id=F("membership__organization_id"))
        .order_by("pk")
        .values_list("pk", "membership__organization_id", "operator__organization_id")
    )
    found += [Mismatch(through._meta.label, pk, org, exp) for pk, org, exp in assignments]
    return found


@transaction.atomic
def organization_mismatches_repair() -> int:
    """Set every disagreeing copy back to its source's organization; returns rows changed.

    Cross-organization assignments are reported but never repaired: which side is wrong is a
    decision for a person, not for this function.
    """
    changed = 0
    for model in derived_organization_models():
        source_field = organization_source_field(model)
        source = Subquery(
            organization_source_model(model)
            ._default_manager.filter(pk=OuterRef(source_field.attname))
            .values("organization_id")[:1]
        )
        changed += _disagreeing(model).update(organization_id=source)
    return changed
