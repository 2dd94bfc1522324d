"""What every request reads from Redis (the session, with the versions of what pages are kept
from: micenter/cache_scopes) answered from this process's memory, kept exact by Redis itself.

This is redis-py's client-side cache. Each connection asks Redis to track the keys it reads
(CLIENT TRACKING, over RESP3). The moment anyone writes one of those keys, Redis pushes an
invalidation to that connection, and a connection reads the pushes waiting on its socket
before it answers from memory. So a sign-out or a changed role in another worker still takes
effect on the very next request, while a signed-in page no longer waits for Redis.

- **Only MGET is answered from memory:** the session and the versions, which are small and
  read on every request. Kept pages and signed-in users (GET) have their own bounded copies
  under versioned keys (micenter/process_copies).
- **A forked process starts empty** (gunicorn's workers, Celery's pool). The parent's copies
  would otherwise hear their invalidations on the parent's sockets, which the child shares.
- **Emptied by redis-py** when a connection is lost, and on FLUSHDB or FLUSHALL.
- **Server version:** redis-py turns this on only from Redis 7.4, the version from which Redis
  Ltd's own products support it. The server side (CLIENT TRACKING, RESP3) is Redis 6.0's. We
  allow it from 7.0 (what Debian 12 ships, and what CI runs it on). With an older server, or
  one that does not call itself "redis", set REDIS_CLIENT_CACHE=0: otherwise its connections
  are refused and the site runs as if Redis were down.
"""

import os
import weakref

from redis.cache import CacheConfig, DefaultCache
from redis.connection import CacheProxyConnection

OLDEST_SERVER = "7.0.0"
# Distinct MGETs kept (one per signed-in session, and a few for the versions alone).
MOST = 1000

_caches: weakref.WeakSet[DefaultCache] = weakref.WeakSet()


class _ForkSafeCache(DefaultCache):
    def __init__(self, cache_config):
        super().__init__(cache_config)
        _caches.add(self)


def _empty_after_fork() -> None:
    for cache in _caches:
        cache.flush()


os.register_at_fork(after_in_child=_empty_after_fork)


class _MgetOnly(CacheConfig):
    def is_allowed_to_cache(self, command: str) -> bool:
        return command == "MGET"


def pool_options() -> dict:
    """django-redis's CONNECTION_POOL_KWARGS that turn the client-side cache on."""
    CacheProxyConnection.MIN_ALLOWED_VERSION = OLDEST_SERVER
    return {"protocol": 3, "cache_config": _MgetOnly(max_size=MOST, cache_class=_ForkSafeCache)}
