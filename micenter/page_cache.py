"""Whole pages kept in the cache for a few seconds, for the pages opened most: the desk's
today's visits and search, and the public "What's on".

- **Key:** the path with its query string, the language, the reader (each signed-in person
  has their own copies; anonymous visitors share one), and the version of every *scope* the
  page shows.
- **Versions** (micenter/cache_scopes): a write to what a page shows (a visit, a person, the
  queue, an event) gives its scope a new version, so the next request renders afresh. The
  short timeout is the backstop (a queue's "waiting 5 minutes", a session that has begun).
- **Per-response parts are never shared:** the CSRF token and the forms' one-time submission
  keys are cut out when a page is stored and filled in fresh for every response.
- **Skipped:** anything but a plain GET answered 200, a page with a message to show, a
  public page with a query (filters), and every request while the cache is unreachable (the
  page is then simply rendered).
"""

import re
import time
import uuid
from hashlib import sha256

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from micenter.cache_scopes import versions
from micenter.process_copies import RecentCopies

_CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_SUBMISSION_KEY = re.compile(rb'(name="[\w-]*submission_key" value=")[^"]*(")')
_CSRF_HOLE = rb"\x00csrf\x00"
_KEY_HOLE = rb"\x00submission-key\x00"
# What a kept page is stored as (content type, content with holes, until when): a new format
# gets new keys, so a copy in an older one is never read.
_FORMAT = "2"
_INDENT = re.compile(rb"\n[ \t\r\n]+")
_VERBATIM = re.compile(rb"<(pre|textarea)\b", re.IGNORECASE)


def _key(request, scopes) -> str | None:
    signed_in = request.user.is_authenticated
    # A signed-in reader's page also shows what their roles let them do.
    current = versions([*scopes, "access"] if signed_in else scopes)
    if current is None:
        return None
    reader = request.user.pk if signed_in else "-"
    parts = [_FORMAT, request.get_full_path(), get_language(), str(reader), *current]
    return "page:" + sha256("\x1f".join(parts).encode()).hexdigest()


# This process's latest kept pages, under the same keys and until the same moment as in the
# cache (a page found there keeps the time it was stored with).
_recent = RecentCopies(most=64)


def _fill_each(content: bytes, hole: bytes, make) -> bytes:
    first, *rest = content.split(hole)
    return first + b"".join(make().encode() + part for part in rest)


def _fill(content: bytes, request) -> bytes:
    if _CSRF_HOLE in content:  # a page without a form sets no CSRF cookie, as rendered
        token = get_token(request)  # masked afresh for this response, as rendering would
        content = _fill_each(content, _CSRF_HOLE, lambda: token)
    if _KEY_HOLE in content:
        content = _fill_each(content, _KEY_HOLE, lambda: str(uuid.uuid4()))
    return content


def _holes(content: bytes) -> bytes:
    content = _CSRF.sub(lambda m: m[1] + _CSRF_HOLE + m[2], content)
    return _SUBMISSION_KEY.sub(lambda m: m[1] + _KEY_HOLE + m[2], content)


def _compact(content: bytes) -> bytes:
    """The templates' indentation dropped (a line break and the spaces after it become one
    line break, which a browser shows alike): a kept page is sent hundreds of times, a sixth
    smaller. Not where white space is content (pre, textarea)."""
    if _VERBATIM.search(content):
        return content
    return _INDENT.sub(b"\n", content)


class CachedPageMixin:
    """For a view whose GET is the same for the same reader, path and data. Put it first among
    the view's bases, before its permission check: a copy is only made of a page that was
    rendered (its reader was allowed to see it) and is only found under the same reader and
    the same version of everyone's roles, so it outlives no change to what they may see."""

    page_cache_scopes: tuple[str, ...] = ()
    page_cache_seconds = 30
    # A page anyone can open keeps only its plain form and its numbered pages: a stranger
    # varying the query string gets pages rendered, not a cache filled with copies. Pages only
    # staff can open keep any query (the desk's searches).
    page_cache_public = False

    def _keeps(self, request) -> bool:
        if request.method != "GET" or not settings.MICENTER_PAGE_CACHE:
            return False
        if self.page_cache_public and any(
            name != "page" or len(values) != 1 or not values[0].isdigit() or len(values[0]) > 3
            for name, values in request.GET.lists()
        ):
            return False
        return not len(messages.get_messages(request))

    def dispatch(self, request, *args, **kwargs):
        key = None
        if self._keeps(request):
            key = _key(request, self.page_cache_scopes)
        if key is not None:
            stored = _recent.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    _recent.put(key, stored, stored[2])
            if stored is not None:
                content_type, content, _until = stored
                return HttpResponse(_fill(content, request), content_type=content_type)
        response = super().dispatch(request, *args, **kwargs)
        if key is None or response.status_code != 200:
            return response
        if hasattr(response, "render"):
            response.render()
        until = time.time() + self.page_cache_seconds
        stored = (response["Content-Type"], _holes(_compact(response.content)), until)
        cache.set(key, stored, self.page_cache_seconds)
        _recent.put(key, stored, until)
        return response
