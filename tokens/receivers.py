"""Every token of a person is revoked when their password changes or they are deactivated,
whatever the path: the password change and reset pages, the admin, `set_password` + `save`,
`changepassword`, a deactivation in the admin or in code."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import get_hasher, identify_hasher

from accounts.models import User

from . import services

_REASONS_ATTR = "_token_revoke_reasons"


def _rehashed(old: str, user: User, update_fields: Any) -> bool:
    """The hash changed but not the password: Django re-hashed it on a successful sign-in
    (new iteration count or hasher: `check_password`'s setter saves only "password" and does
    not keep the raw password, unlike `set_password`)."""
    if getattr(user, "_password", None) is not None:
        return False
    if update_fields is None or set(update_fields) != {"password"}:
        return False
    try:
        hasher = identify_hasher(old)
    except ValueError:
        return False
    return hasher.algorithm != get_hasher().algorithm or hasher.must_update(old)


def user_pre_save(sender: type[User], instance: User, update_fields: Any = None, **kwargs: Any):
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login on every sign-in: no extra query
    stored = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    reasons = []
    if stored["password"] != instance.password and not _rehashed(
        stored["password"], instance, update_fields
    ):
        reasons.append("password_changed")
    if stored["is_active"] and not instance.is_active:
        reasons.append("deactivated")
    setattr(instance, _REASONS_ATTR, reasons)


def user_post_save(sender: type[User], instance: User, created: bool = False, **kwargs: Any):
    reasons = getattr(instance, _REASONS_ATTR, None)
    if not reasons:
        return
    delattr(instance, _REASONS_ATTR)
    services.token_revoke_all(user=instance, reason=",".join(reasons))
