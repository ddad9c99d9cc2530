"""Factories for the tokens app: API tokens, stored as knox stores them (the key's digest)."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from knox.crypto import create_token_string, hash_token
from knox.settings import CONSTANTS, knox_settings

from accounts.models import User
from tokens.models import ApiToken

from .accounts import UserFactory


class ApiTokenFactory(DjangoModelFactory[ApiToken]):
    """A token of a new user; pass `key=` to know its key (or use `make_api_token`)."""

    class Meta:
        model = ApiToken

    class Params:
        key = factory.LazyFunction(create_token_string)

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"script {n}")
    digest = factory.LazyAttribute(lambda o: hash_token(o.key))
    token_key = factory.LazyAttribute(lambda o: o.key[: CONSTANTS.TOKEN_KEY_LENGTH])
    expiry = factory.LazyFunction(lambda: timezone.now() + knox_settings.TOKEN_TTL)


def make_api_token(user: User | None = None, **kwargs: Any) -> tuple[ApiToken, str]:
    """A stored token and its key (what `Authorization: Token <key>` sends)."""
    key = create_token_string()
    if user is not None:
        kwargs["user"] = user
    return ApiTokenFactory(key=key, **kwargs), key
