"""Access events that other code announces with signals: sign-in, sign-out and failures
(Django), second factors and SSO identities (allauth), and role changes (Membership saves)."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.models import Membership
from core import pii

from .actions import AccessAction
from .services import record_event

METHODS_SESSION_KEY = "account_authentication_methods"  # allauth's record of this sign-in
USERNAME_MAX = 150


def sign_in_methods(request: Any) -> list[dict[str, Any]]:
    """How this session's user proved who they are: password, an SSO provider, a second
    factor (allauth's record; plain Django sign-in: a password)."""
    session = getattr(request, "session", None)
    records = list(session.get(METHODS_SESSION_KEY, [])) if session is not None else []
    methods = []
    for record in records:
        method = {"method": record.get("method", "")}
        for key in ("provider", "type"):
            if record.get(key):
                method[key] = record[key]
        methods.append(method)
    return methods or [{"method": "password"}]


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    methods = sign_in_methods(request)
    record_event(
        AccessAction.SIGN_IN,
        actor=user,
        target=user,
        request=request,
        detail={
            "methods": methods,
            "two_factor": any(m["method"] == "mfa" for m in methods),
            "path": getattr(request, "path", ""),
        },
    )


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    record_event(AccessAction.SIGN_OUT, actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    user_model = get_user_model()
    by_email = not credentials.get(user_model.USERNAME_FIELD) and credentials.get("email")
    tried = str(credentials.get(user_model.USERNAME_FIELD) or credentials.get("email") or "")
    tried = tried[:USERNAME_MAX]
    lookup = {"email__iexact": tried} if by_email else {user_model.USERNAME_FIELD: tried}
    known = user_model._default_manager.filter(**lookup).first() if tried else None
    # Someone may type an ID number into the name field: never keep it in the log.
    tried = pii.mask_text(tried)
    record_event(
        AccessAction.SIGN_IN_FAILED,
        actor_label=tried or "?",
        target=known,
        request=request,
        detail={"username": tried, "path": getattr(request, "path", "")},
    )


# --- second factors (allauth.mfa) -----------------------------------------------------------


@receiver(mfa_signals.authenticator_added, dispatch_uid="audit_mfa_added")
def _mfa_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    record_event(
        AccessAction.TWO_FACTOR_ENABLED,
        actor=user,
        target=user,
        request=request,
        detail={"type": authenticator.type},
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="audit_mfa_removed")
def _mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    record_event(
        AccessAction.TWO_FACTOR_DISABLED,
        actor=user,
        target=user,
        request=request,
        detail={"type": authenticator.type},
    )


@receiver(mfa_signals.authenticator_used, dispatch_uid="audit_mfa_used")
def _mfa_used(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    if authenticator.type == "recovery_codes":
        record_event(AccessAction.RECOVERY_CODE_USED, actor=user, target=user, request=request)


@receiver(mfa_signals.authentication_failed, dispatch_uid="audit_mfa_failed")
def _mfa_failed(
    sender: Any, request: Any, user: Any, authenticator: Any = None, **kwargs: Any
) -> None:
    record_event(
        AccessAction.SIGN_IN_FAILED,
        actor_label=user.get_username(),
        target=user,
        request=request,
        detail={"username": user.get_username(), "method": "mfa"},
    )


# SSO identities linked and unlinked are recorded by signin.sso.receivers (with the
# organization that allows the provider).


# --- role changes ---------------------------------------------------------------------------


@receiver(pre_save, sender=Membership, dispatch_uid="audit_role_before")
def _role_before(sender: Any, instance: Membership, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        instance._audit_old_role = None  # type: ignore[attr-defined]
        return
    old = Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
    instance._audit_old_role = old  # type: ignore[attr-defined]


@receiver(post_save, sender=Membership, dispatch_uid="audit_role_after")
def _role_after(
    sender: Any, instance: Membership, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    old = getattr(instance, "_audit_old_role", None)
    if raw or created or old is None or old == instance.role:
        return
    record_event(
        AccessAction.ROLE_CHANGED,
        target=instance,
        organization=instance.organization,
        detail={"user": instance.user.get_username(), "from": old, "to": instance.role},
    )
