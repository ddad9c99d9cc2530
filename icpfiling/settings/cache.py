"""The cache: the sign-in rate limits count in it, so every worker must share it.

CACHE_URL (django-environ): "rediscache://redis:6379/1" in docker-compose (Django's own
RedisCache); the default, a per-process memory cache, is for one-process setups only.
"""

from .environment import env

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
