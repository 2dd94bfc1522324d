"""Who is signed in and what they may do, checked on every page but changed only when an
account, a role or a permission changes: read from the cache, not from five tables on each
request.

Any save of a user (a new password, deactivation, a sign-in), any change to their groups,
permissions or authenticators, and any change to a group gives the "access" scope a new
version (accounts.apps). Every copy made before is then simply not found: a removed role, a
deactivated account or a changed password takes effect on the very next request. While the
cache is not answering, everything is read from the database as Django does."""

import copy
import time

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from micenter.cache_scopes import versions
from micenter.process_copies import RecentCopies

SCOPE = "access"
# Should a change not reach the cache (an outage at that very moment), a copy is still
# dropped within five minutes.
KEEP_SECONDS = 300


def _from_database(user) -> tuple[list[str], frozenset[str], bool]:
    from allauth.mfa.models import Authenticator

    from accounts.roles import Role

    held = set(user.groups.values_list("name", flat=True))
    roles = [role.value for role in Role if role.value in held]
    permissions = frozenset(ModelBackend().get_all_permissions(user))
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return roles, permissions, totp


# This process's latest signed-in users, under the same keys (the access version is in them):
# a staff member's next click needs no trip to the cache for who they are. Each request gets
# its own copy.
_recent = RecentCopies(most=256)


def _key(kind: str, user_id) -> str | None:
    current = versions([SCOPE])
    return None if current is None else f"{kind}:{user_id}:{current[0]}"


def access_of(user) -> tuple[list[str], frozenset[str], bool]:
    """(role codes in Role's order, permission names, has an authenticator app) of a saved
    user."""
    found = getattr(user, "_access", None)
    if found is not None:
        return found
    key = _key("access", user.pk)
    found = cache.get(key) if key else None
    if found is None:
        found = _from_database(user)
        if key:
            cache.set(key, found, KEEP_SECONDS)
    user._access = found
    return found


class AccessBackend(AuthenticationBackend):
    """allauth's backend (sign-in by email, and Django's by username for the admin), with the
    signed-in user and their permissions taken from the cache."""

    def get_user(self, user_id):
        key = _key("user", user_id)
        user = _recent.get(key) if key else None
        if user is None:
            user = cache.get(key) if key else None
            if user is None:
                user = super().get_user(user_id)
                if user is None:
                    return None
                access_of(user)  # kept with the user: one cache read per request for both
                if key:
                    cache.set(key, user, KEEP_SECONDS)
            if key:
                _recent.put(key, user, time.time() + KEEP_SECONDS)
        if key:
            user = copy.copy(user)
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(access_of(user_obj)[1])
        return user_obj._perm_cache
