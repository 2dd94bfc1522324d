"""Versions of what cached copies were made from (micenter/cache_scopes): read once per
request, and every change seen by the next request."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse

from micenter.cache_scopes import ScopeVersionsMiddleware, scopes_changed, versions

pytestmark = pytest.mark.django_db


def test_outside_a_request_every_call_reads_the_cache():
    versions(["desk"])
    cache.set("scopever:desk", "changed-by-another-process", None)
    assert versions(["desk"]) == ["changed-by-another-process"]


def test_a_request_reads_a_version_once_and_sees_its_own_changes_at_once(rf):
    seen = []

    def view(request):
        seen.append(versions(["desk"])[0])
        cache.set("scopever:desk", "changed-by-another-process", None)
        seen.append(versions(["desk"])[0])  # as if this request had been served a moment earlier
        scopes_changed("desk")
        seen.append(versions(["desk"])[0])  # its own change
        return HttpResponse()

    ScopeVersionsMiddleware(view)(rf.get("/"))
    assert seen[0] == seen[1] != seen[2] != "changed-by-another-process"
    cache.set("scopever:desk", "changed-after", None)
    ScopeVersionsMiddleware(view)(rf.get("/"))
    assert seen[3] == "changed-after"  # the next request starts afresh
