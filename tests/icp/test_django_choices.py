"""The Django choices that label a kernel enum list exactly the kernel's values.

The kernel defines the values; each app's `TextChoices` repeats every member to give it a label.
A value added to the kernel but not to its Django mirror would be refused by the model's check
constraint and have no label, so the two must not drift.
"""

from __future__ import annotations

from enum import StrEnum

import pytest
from django.db import models

from documents.models import DocType
from filings.models import FilingKind, FilingStatus
from icp import channels, checklist, types, workflow
from miniprograms.models import EntityType, Platform

MIRRORS: list[tuple[type[models.TextChoices], type[StrEnum]]] = [
    (FilingStatus, workflow.FilingStatus),
    (FilingKind, workflow.FilingKind),
    (EntityType, types.EntityType),
    (Platform, channels.Platform),
    (DocType, checklist.DocType),
]


@pytest.mark.parametrize(
    ("django_choices", "kernel_enum"), MIRRORS, ids=[m[0].__name__ for m in MIRRORS]
)
def test_django_choices_list_exactly_the_kernel_values(django_choices, kernel_enum):
    assert django_choices.values == [member.value for member in kernel_enum]
    assert all(str(label) for label in django_choices.labels)
