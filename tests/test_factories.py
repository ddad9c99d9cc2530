"""Every concrete model of the project has a factory, and the factory builds a valid row."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from factory.django import DjangoModelFactory

from tests import factories

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _is_project_app(path: str) -> bool:
    resolved = Path(path).resolve()
    return resolved.is_relative_to(PROJECT_ROOT) and "site-packages" not in resolved.parts


def _project_models() -> list[type[models.Model]]:
    """Concrete models of the apps that live in this repository (not Django's, not DRF's)."""
    return [
        model
        for config in apps.get_app_configs()
        if _is_project_app(config.path)
        for model in config.get_models()
    ]


def _factories_by_model() -> dict[type[models.Model], type[DjangoModelFactory]]:
    found: dict[type[models.Model], type[DjangoModelFactory]] = {}
    for name in factories.__all__:
        obj = getattr(factories, name)
        if isinstance(obj, type) and issubclass(obj, DjangoModelFactory):
            found.setdefault(obj._meta.model, obj)
    return found


PROJECT_MODELS = _project_models()


def test_the_walk_finds_the_project_models():
    labels = {m._meta.label for m in PROJECT_MODELS}
    assert {"accounts.User", "miniprograms.Operator", "filings.FilingApplication"} <= labels
    assert not any(label.startswith(("auth.", "authtoken.", "admin.")) for label in labels)


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.label)
def test_every_model_has_a_factory_that_builds_a_valid_row(model, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    factory_class = _factories_by_model().get(model)
    assert factory_class is not None, f"no factory in tests/factories/ for {model._meta.label}"

    obj = factory_class()

    assert type(obj) is model
    assert obj.pk is not None
    assert model.objects.filter(pk=obj.pk).exists()
    obj.full_clean()
