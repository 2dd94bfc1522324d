"""Versions of what cached copies were made from. A *scope* (the desk's data, the events, who
may do what) gets a new version whenever something in it changes, so every copy made from the
old version is simply no longer looked up.

- A change takes effect at once (for the same transaction's next read) and again once the
  transaction commits (a copy made meanwhile by another request still saw the old data).
- When the cache is not answering, `versions` returns None: callers then work from the
  database and keep nothing.
- Within one request a version is read once (ScopeVersionsMiddleware): a signed-in page needs
  "who may do what" for its user and again for its kept copy. Outside requests (workers,
  commands) every call reads the cache. A change made by another process during a request is
  seen by the next request, as if this one had been served a moment earlier.
"""

import contextvars
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import signals

_PREFIX = "scopever:"

# Every scope in use (each is watched by its app): a signed-in request reads all their
# versions with its session, in the same round trip.
_known: set[str] = set()

# The versions this request has read ({scope: version}); None outside a request.
_seen: contextvars.ContextVar[dict | None] = contextvars.ContextVar("scope_versions", default=None)


class ScopeVersionsMiddleware:
    """Each request reads a scope's version once (put it before SessionMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _seen.set({})
        try:
            return self.get_response(request)
        finally:
            _seen.reset(token)


def scopes_changed(*scopes: str) -> None:
    def bump():
        new = {scope: uuid.uuid4().hex for scope in scopes}
        cache.set_many({_PREFIX + scope: version for scope, version in new.items()}, None)
        seen = _seen.get()
        if seen is not None:
            seen.update(new)

    bump()
    transaction.on_commit(bump)


def known_scopes() -> list[str]:
    return sorted(_known)


def get_many_with_versions(keys, scopes, using=cache) -> dict:
    """`using.get_many(keys)`, reading in the same round trip the versions of `scopes` the
    request may want next (the session is read with every scope's version)."""
    seen = _seen.get()
    wanted = [] if seen is None else [_PREFIX + s for s in scopes if s not in seen]
    found = using.get_many([*keys, *wanted])
    for key in wanted:
        if key in found:
            seen[key.removeprefix(_PREFIX)] = found.pop(key)
    return found


def versions(scopes) -> list[str] | None:
    seen = _seen.get()
    known = {} if seen is None else seen
    keys = [_PREFIX + scope for scope in scopes if scope not in known]
    found = cache.get_many(keys) if keys else {}
    for key in keys:
        if key not in found:
            # First use, or evicted: start a version (another worker may have just done so).
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
            if found[key] is None:
                return None
        if seen is not None:
            seen[key.removeprefix(_PREFIX)] = found[key]
    return [known[scope] if scope in known else found[_PREFIX + scope] for scope in scopes]


def watch(scope: str, *models) -> None:
    """Every save or delete of these models, and every change to their many-to-many fields,
    changes the scope. Writes by bulk update call scopes_changed themselves."""

    def changed(sender, **kwargs):
        scopes_changed(scope)

    _known.add(scope)

    for model in models:
        uid = f"cache_scopes:{scope}:{model._meta.label_lower}"
        signals.post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        signals.post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            signals.m2m_changed.connect(
                changed, sender=field.remote_field.through, weak=False, dispatch_uid=uid
            )
