"""The rate limits count in the configured cache: with Redis, as in docker-compose."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.test import Client

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL is not set: scripts/test starts Redis and sets it")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    cache.clear()
    yield cache
    cache.clear()


def test_the_throttle_counts_in_redis(redis_cache, manager):
    for _ in range(5):
        Client().post("/accounts/login/", {"login": manager.username, "password": "wrong"})
    keys = redis_cache._cache.get_client().keys("*:rl:*")
    assert any(b":login_failed:" in k for k in keys)

    # A fresh client (another worker would see the same counts) is refused the right password.
    client = Client()
    response = client.post("/accounts/login/", {"login": manager.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode()
