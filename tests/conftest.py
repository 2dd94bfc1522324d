"""Shared fixtures, and the rule for tests that need a real service.

A test marked `postgres`, `redis` or `browser` is skipped, with the reason printed, when the
service is not there; with MICENTER_REQUIRE_SERVICES=1 (as .ci/run sets) it fails instead.
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from micenter.celery import app as celery_app
from tests.factories import ROLE_PASSWORD, UserFactory, staff_user

REQUIRE_SERVICES = os.environ.get("MICENTER_REQUIRE_SERVICES") == "1"
CHROMIUM = Path(os.environ.get("MICENTER_CHROMIUM", "/usr/bin/chromium"))


def _redis_answers() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        return bool(cache.client.get_client().ping())
    except Exception:  # noqa: BLE001
        return False


def _service_missing(marker: str) -> str | None:
    if marker == "postgres" and connection.vendor != "postgresql":
        return "PostgreSQL not configured (set DATABASE_URL=postgres://...)"
    if marker == "redis" and not _redis_answers():
        return "Redis not configured or not answering (set REDIS_URL=redis://...)"
    if marker == "browser":
        if not CHROMIUM.exists():
            return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if shutil.which("msgfmt") is None:
            return "gettext not installed"
    return None


def pytest_runtest_setup(item):
    for name in ("postgres", "redis", "browser"):
        if item.get_closest_marker(name) is None:
            continue
        reason = _service_missing(name)
        if reason:
            if REQUIRE_SERVICES:
                pytest.fail(f"MICENTER_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
            pytest.skip(reason)


def _roles_restore():
    """A transactional test empties every table when it ends; put the roles back as the
    data migration made them (rather than serialising the whole database per test)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if not Group.objects.exists():
        module = importlib.import_module("accounts.migrations.0002_roles")
        module.create_roles(apps, None)


@pytest.fixture(autouse=True)
def _isolated(request, settings):
    """Each test starts with an empty cache (rate limits), eager tasks and no forced MFA."""
    cache.clear()
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        _roles_restore()
    settings.MICENTER_STAFF_MFA_REQUIRED = False
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    # URLs reversed in tests are the English ones unless a test says otherwise.
    with translation.override("en"):
        yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def password():
    return ROLE_PASSWORD


@pytest.fixture
def make_staff(db):
    return staff_user


@pytest.fixture
def visitor_user(db):
    return UserFactory()


def pytest_terminal_summary(terminalreporter):
    """Say how many tests of each real service ran, so a CI log shows none were skipped."""
    counts = {}
    for report in terminalreporter.stats.get("passed", []):
        for name in ("postgres", "redis", "browser"):
            if name in report.keywords:
                counts[name] = counts.get(name, 0) + 1
    skipped = len(terminalreporter.stats.get("skipped", []))
    line = ", ".join(f"{name} {counts.get(name, 0)}" for name in ("postgres", "redis", "browser"))
    terminalreporter.write_line(f"service tests passed: {line}; skipped: {skipped}")
