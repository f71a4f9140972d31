"""The ``redis_cache`` fixture really talks to Redis."""

import redis


def test_the_cache_is_redis_and_shared_between_clients(redis_cache):
    redis_cache.set("parlons-probe", 41)
    assert redis_cache.incr("parlons-probe") == 42
    raw = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    assert any(b"parlons-probe" in key for key in raw.keys("*"))
