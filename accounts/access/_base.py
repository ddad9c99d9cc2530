"""Shared by the access modules: constants and who is signed in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Role
from accounts.types import User

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from accounts.models import User as ProjectUser

EDIT_ROLES = frozenset({Role.MANAGER, Role.EDITOR})
PII_REVEAL_PERMISSION = "miniprograms.reveal_pii"
_CACHE_ATTR = "_access_memberships"


def _authenticated(user: User | None) -> TypeIs[ProjectUser]:
    return bool(getattr(user, "is_authenticated", False))


def _superuser(user: User | None) -> bool:
    return bool(getattr(user, "is_superuser", False))
