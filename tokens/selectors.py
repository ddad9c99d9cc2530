"""Reads of API tokens: a person sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User

from .models import ApiToken


def token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (expired ones too, until they are purged)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created", "-pk")


def token_for_user(*, user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; another person's token is a 404, like a missing one."""
    token = token_list_for_user(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token
