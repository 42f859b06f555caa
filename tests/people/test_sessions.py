"""Sessions on the scaled shape (REDIS_URL set): read from Redis, kept in the database, so a Redis
restart - this machine's Redis, like many, keeps nothing on disk - signs nobody out."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
#: A Redis database of this test's own: it is emptied, as a restart would.
REDIS_DB_URL = "redis://127.0.0.1:6379/14"


def _redis() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_DB_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis at 127.0.0.1:6379 (CI always has one)")
    return client


def _session_engine_with_redis() -> str:
    """SESSION_ENGINE as the settings choose it with REDIS_URL set (a fresh interpreter)."""
    result = subprocess.run(
        [sys.executable, "-c", "from intranet.settings import base; print(base.SESSION_ENGINE)"],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": REDIS_DB_URL},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.django_db
def test_a_redis_restart_signs_nobody_out(client, settings, user):
    store = _redis()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_DB_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    settings.SESSION_ENGINE = _session_engine_with_redis()
    client.force_login(user)
    profile = reverse("people:edit_profile")  # signed-in only: anyone else is sent to the sign-in
    assert client.get(profile).status_code == 200
    store.flushdb()  # what a restart of a Redis that keeps nothing on disk leaves
    response = client.get(profile)
    assert response.status_code == 200, "signed out by the Redis restart"
    assert response.wsgi_request.user == user
