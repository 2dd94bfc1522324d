"""Versions of what cached copies were made from. A *scope* (the desk's data, the events, who
may do what) gets a new version whenever something in it changes, so every copy made from the
old version is simply no longer looked up.

- A change takes effect at once (for the same transaction's next read) and again once the
  transaction commits (a copy made meanwhile by another request still saw the old data).
- When the cache is not answering, `versions` returns None: callers then work from the
  database and keep nothing.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import signals

_PREFIX = "scopever:"


def scopes_changed(*scopes: str) -> None:
    def bump():
        cache.set_many({_PREFIX + scope: uuid.uuid4().hex for scope in scopes}, None)

    bump()
    transaction.on_commit(bump)


def versions(scopes) -> list[str] | None:
    keys = [_PREFIX + scope for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # First use, or evicted: start a version (another worker may have just done so).
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
            if found[key] is None:
                return None
    return [found[key] for key in keys]


def watch(scope: str, *models) -> None:
    """Every save or delete of these models, and every change to their many-to-many fields,
    changes the scope. Writes by bulk update call scopes_changed themselves."""

    def changed(sender, **kwargs):
        scopes_changed(scope)

    for model in models:
        uid = f"cache_scopes:{scope}:{model._meta.label_lower}"
        signals.post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        signals.post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            signals.m2m_changed.connect(
                changed, sender=field.remote_field.through, weak=False, dispatch_uid=uid
            )
