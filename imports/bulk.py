"""Writing a sheet's checked rows in a few statements, with the services' save as the fallback.

Rows are checked one by one in memory (imports/sheets/), then each sheet's new rows go in with
one `bulk_create` and its changed rows with one `bulk_update` per model. A statement that the
database refuses (a unique clash the checks could not see, e.g. a row added meanwhile) is
retried row by row through the services' `clean_and_save`, so that the rows at fault are
reported with the messages a form would show, and the others are still written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from miniprograms.models import Domain, Operator, ResponsiblePerson
from miniprograms.ownership import DerivedOrganization
from miniprograms.services.persons import PERSON_UNIQUE_MESSAGE
from miniprograms.services.register import DOMAIN_CLEAN_EXCLUDE, UNIQUE_MESSAGES, clean_and_save

BATCH_SIZE = 1000

# What a refused save reports and which fields full_clean leaves out, per model (the services').
_UNIQUE: dict[type[models.Model], Any] = {
    **UNIQUE_MESSAGES,
    ResponsiblePerson: PERSON_UNIQUE_MESSAGE,
}
_EXCLUDE: dict[type[models.Model], tuple[str, ...]] = {Domain: DOMAIN_CLEAN_EXCLUDE}


@dataclass
class Write:
    row: int
    obj: models.Model
    on_fail: Callable[[], None] | None = None  # undo what the importer assumed of this row


@dataclass
class Batch:
    """The writes of one sheet, in row order."""

    creates: list[Write] = field(default_factory=list)
    updates: list[Write] = field(default_factory=list)

    def create(self, row: int, obj: models.Model, on_fail: Callable[[], None] | None = None):
        self.creates.append(Write(row, obj, on_fail))

    def update(self, row: int, obj: models.Model, on_fail: Callable[[], None] | None = None):
        self.updates.append(Write(row, obj, on_fail))


def operator_id(obj: models.Model) -> int | None:
    """The operator a written row belongs to (for the compliance refresh)."""
    return obj.pk if isinstance(obj, Operator) else getattr(obj, "operator_id", None)


def _by_model(writes: list[Write]) -> dict[type[models.Model], list[Write]]:
    groups: dict[type[models.Model], list[Write]] = {}
    for w in writes:
        groups.setdefault(type(w.obj), []).append(w)
    return groups


def _prepare(obj: models.Model) -> None:
    # What Model.save() would do: copy the organization from the operator (ownership.py),
    # derive an operator's pinyin name keys.
    if isinstance(obj, DerivedOrganization):
        obj.sync_organization()
    elif isinstance(obj, Operator):
        obj.set_name_keys()


def _update_fields(model: type[models.Model]) -> list[str]:
    """Every column save() writes on an update (created_at is kept, updated_at set by hand)."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name != "created_at"
    ]


def write_creates(writes: list[Write], failed: Callable[[Write, ValidationError], None]) -> list:
    """Insert the rows; returns the writes that were saved. `failed` gets the others."""
    saved: list[Write] = []
    for model, group in _by_model(writes).items():
        objs = [w.obj for w in group]
        for obj in objs:
            _prepare(obj)
        try:
            with transaction.atomic():
                model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
            saved.extend(group)
        except IntegrityError:
            for obj in objs:  # the savepoint rolled back what a first batch had inserted
                obj.pk = None
                obj._state.adding = True
            saved.extend(_one_by_one(model, group, failed))
    return saved


def write_updates(writes: list[Write], failed: Callable[[Write, ValidationError], None]) -> list:
    """Update the rows (every field, as save() does); returns the writes that were saved."""
    saved: list[Write] = []
    now = timezone.now()
    for model, group in _by_model(writes).items():
        objs = [w.obj for w in group]
        for obj in objs:
            _prepare(obj)
            obj.updated_at = now  # type: ignore[attr-defined]  # auto_now: bulk_update skips it
        try:
            with transaction.atomic():
                model._default_manager.bulk_update(objs, _update_fields(model), batch_size=500)
            saved.extend(group)
        except IntegrityError:
            saved.extend(_one_by_one(model, group, failed))
    return saved


def _one_by_one(
    model: type[models.Model], group: list[Write], failed: Callable[[Write, ValidationError], None]
) -> list[Write]:
    saved = []
    for w in group:
        try:
            clean_and_save(
                w.obj, unique_message=str(_UNIQUE[model]), exclude=_EXCLUDE.get(model, ())
            )
        except ValidationError as e:
            failed(w, e)
        else:
            saved.append(w)
    return saved
