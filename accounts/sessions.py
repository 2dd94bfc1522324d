"""Sessions as Django's cached_db engine keeps them (in the database, read through the cache),
except that no copy stays in the cache longer than five minutes. A sign-out or an ended
session that could not reach the cache during an outage is then honoured within five minutes,
not after the session's own two weeks."""

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS

from micenter.cache_scopes import get_many_with_versions, known_scopes

KEEP_SECONDS = 300


class _Capped:
    """The session cache, with every timeout cut to KEEP_SECONDS."""

    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout=None, **kwargs):
        timeout = KEEP_SECONDS if timeout is None else min(timeout, KEEP_SECONDS)
        return self._cache.set(key, value, timeout, **kwargs)

    async def aset(self, key, value, timeout=None, **kwargs):
        timeout = KEEP_SECONDS if timeout is None else min(timeout, KEEP_SECONDS)
        return await self._cache.aset(key, value, timeout, **kwargs)

    def get(self, key, default=None, **kwargs):
        # Read with the versions of what pages are kept from (who may do what, the desk,
        # the events): a signed-in request then needs no other trip for them.
        if settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS:  # versions live in the default
            return self._cache.get(key, default, **kwargs)
        return get_many_with_versions([key], known_scopes(), using=self._cache).get(key, default)

    def __getattr__(self, name):
        return getattr(self._cache, name)

    def __contains__(self, key):
        return key in self._cache


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _Capped(self._cache)
