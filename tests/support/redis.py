"""The default cache in a real Redis, under a key prefix only the test uses (tests/conftest.py
makes the fixture available everywhere)."""

import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import caches


@pytest.fixture
def redis_cache(settings) -> Iterator:
    """Points the default cache at Redis database 12 under a fresh prefix; yields the raw Redis
    client (`prefix` names the prefix) and deletes the test's keys afterwards."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
            "KEY_PREFIX": prefix,
        }
    }
    client = caches["default"]._cache.get_client(write=True)
    client.prefix = prefix
    yield client
    for key in client.keys(f"{prefix}:*"):
        client.delete(key)
