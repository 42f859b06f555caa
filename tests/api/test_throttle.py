"""The API rate limit under parallel load (issue 13, point 8a): of many parallel requests exactly
the limit pass, with each cache the deployment may use - local memory (tests), the database
cache (the default without Redis, whose ``incr`` is not atomic) and Redis (django-redis)."""

import threading
import uuid
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection

from intranet.api import UserRateThrottle

THREADS = 8
PER_THREAD = 25
LIMIT = 120  # below THREADS * PER_THREAD = 200


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


CACHES = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle-test"},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "intranet_cache"},
    "redis": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    },
}


@pytest.fixture(params=sorted(CACHES))
def shared_cache(request, settings, database_for_threads):
    if request.param == "redis" and not _redis_reachable():
        pytest.skip("no Redis server at 127.0.0.1:6379 (the production cache with REDIS_URL)")
    settings.CACHES = {"default": {**CACHES[request.param], "KEY_PREFIX": f"wn-test-{uuid.uuid4().hex}"}}
    if request.param == "database":
        call_command("createcachetable", verbosity=0)
    settings.API_RATE_LIMIT = f"{LIMIT}/m"
    from django.core.cache import cache

    cache.clear()
    yield request.param
    cache.clear()
    # back to the test settings' cache while the database is still there (the autouse fixture
    # of tests/api clears "the" cache after this one ends)
    settings.CACHES = {"default": CACHES["locmem"]}


def _parallel_requests(throttle, user) -> list[bool]:
    """THREADS threads, released at once, each asking PER_THREAD times; the answers."""
    answers: list[bool] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    request = SimpleNamespace(auth=user, META={})

    def client():
        try:
            start.wait(timeout=30)
            for _ in range(PER_THREAD):
                answers.append(throttle.allow_request(request))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return answers


def test_exactly_the_limit_of_parallel_requests_pass(shared_cache):
    throttle = UserRateThrottle()
    throttle.timer = lambda: 1_000_000_020.0  # one window for the whole test, whatever the clock
    answers = _parallel_requests(throttle, SimpleNamespace(pk=4711))
    assert len(answers) == THREADS * PER_THREAD
    assert answers.count(True) == LIMIT
    # another user has a count of their own; the next window starts again at zero
    assert throttle.allow_request(SimpleNamespace(auth=SimpleNamespace(pk=4712), META={}))
    throttle.timer = lambda: 1_000_000_080.0
    assert throttle.allow_request(SimpleNamespace(auth=SimpleNamespace(pk=4711), META={}))
    assert 0 < throttle.wait() <= 60


@pytest.mark.django_db(transaction=True)
def test_the_database_counter_clears_finished_windows(settings):
    from intranet.api import count_request
    from intranet.models import RateLimitCounter

    settings.CACHES = {"default": {**CACHES["database"], "LOCATION": "not_used_for_counting"}}
    assert [count_request("a", 60) for _ in range(3)] == [1, 2, 3]
    RateLimitCounter.objects.update(expires_at="2000-01-01T00:00Z")
    assert count_request("b", 60) == 1
    assert list(RateLimitCounter.objects.values_list("name", flat=True)) == ["b"]
    settings.CACHES = {"default": CACHES["locmem"]}


def test_caches_with_an_atomic_incr_count_in_the_cache_not_the_database(shared_cache):
    from intranet.api import count_request
    from intranet.models import RateLimitCounter

    assert [count_request("k", 60) for _ in range(3)] == [1, 2, 3]
    assert RateLimitCounter.objects.exists() == (shared_cache == "database")
