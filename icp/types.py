"""Value types shared by several kernel modules (no Django, no database)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias


class EntityType(StrEnum):
    """Kind of operator (主办单位性质). Codes follow the WeChat ICP API (domain.md §5.1).

    `miniprograms.models.EntityType` gives these values their labels; 6–9 are unverified there.
    """

    DEFENCE = "1"
    GOVERNMENT = "2"
    PUBLIC_INSTITUTION = "3"
    ENTERPRISE = "4"
    INDIVIDUAL = "5"
    SOCIAL_GROUP = "6"
    PRIVATE_NON_ENTERPRISE = "7"
    FOUNDATION = "8"
    LAW_FIRM = "9"
    FOREIGN_CULTURAL_CENTRE = "10"
    MASS_ORGANISATION = "11"
    JUDICIAL_EXPERTISE = "12"
    RELIGIOUS = "13"
    FOREIGN_INSTITUTION = "14"
    MEDICAL = "15"
    NOTARY = "16"
    COLLECTIVE = "17"
    ARBITRATION = "18"


if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    #: A message: a plain string or a `gettext_lazy` one, translated when it is shown.
    Text: TypeAlias = str | _StrPromise
else:
    Text = str
