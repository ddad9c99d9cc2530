"""Types shared by every app's services and selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, Union

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User as _ProjectUser

# Whoever is asking: a signed-in project user, or the anonymous user of a request. Services and
# selectors take it and ask accounts.access what it may see or do.
User: TypeAlias = Union["_ProjectUser", "AnonymousUser"]
