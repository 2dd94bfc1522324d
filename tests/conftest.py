"""Shared fixtures, and the rule for tests that need a real service.

A test marked `postgres`, `redis` or `browser` is skipped, with the reason printed, when the
service is not there; with MICENTER_REQUIRE_SERVICES=1 (as .ci/run sets) it fails instead.
"""

import importlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.signals import setting_changed
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


def pytest_configure(config):
    """A bare `pytest` on a fresh clone works: the translations the tests read are compiled
    when a catalogue is newer than its compiled file, and WhiteNoise serves from a static
    folder that exists (it warns when `collectstatic` has not made one)."""
    locale = Path(settings.BASE_DIR) / "locale"
    stale = [
        po.parts[-3]
        for po in locale.glob("*/LC_MESSAGES/django.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", locale=stale, ignore_patterns=[".venv"], verbosity=0)
        # Django read the catalogues while starting: have it read them again, as it does
        # when a test changes LOCALE_PATHS.
        setting_changed.send(
            sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
        )
    static_root = Path(settings.STATIC_ROOT)
    if not static_root.exists():
        settings.STATIC_ROOT = Path(tempfile.mkdtemp(prefix="micenter-static-"))


def pytest_runtest_setup(item):
    for name in ("postgres", "redis", "browser"):
        if item.get_closest_marker(name) is None:
            continue
        reason = _service_missing(name)
        if reason:
            if REQUIRE_SERVICES:
                pytest.fail(f"MICENTER_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
            pytest.skip(reason)


# The data migrations that fill reference tables (roles, services, legal statuses).
DATA_MIGRATIONS = [
    ("accounts.migrations.0002_roles", "create_roles"),
    ("consultations.migrations.0002_services", "create_services"),
    ("visitors.migrations.0002_search_index_and_roles", "forwards"),
    ("visitors.migrations.0005_consent_texts", "create_texts"),
    ("visitors.migrations.0007_privacy_permissions", "grant_administrators"),
    ("accounts.migrations.0004_kiosk_role", "create_kiosk_role"),
    ("consultations.migrations.0004_topics_and_roles", "create_topics"),
    ("events.migrations.0002_roles", "grant_roles"),
]


def _reference_data_restore():
    """A transactional test empties every table when it ends; put back what the data
    migrations made (rather than serialising the whole database for each test)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.exists():
        return
    with connection.schema_editor() as schema_editor:
        for module, function in DATA_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, schema_editor)


@pytest.fixture(autouse=True)
def _isolated(request, settings):
    """Each test starts with an empty cache (rate limits), eager tasks and no forced MFA."""
    cache.clear()
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        _reference_data_restore()
    settings.MICENTER_STAFF_MFA_REQUIRED = False
    # Hashing is deliberately slow; tests make many accounts and prove nothing about it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that use the database in a transaction first, tests that empty it when they end
    (transactional, live server) after them, the rest last: pytest-django orders them so, but
    pytest's own regrouping for Playwright's session-wide browser fixture runs later and
    undoes it, leaving tests that need the reference data after tests that emptied it."""

    def order(item) -> int:
        marker = item.get_closest_marker("django_db")
        kwargs = marker.kwargs if marker else {}
        if (
            kwargs.get("transaction")
            or kwargs.get("reset_sequences")
            or {"transactional_db", "live_server"} & set(item.fixturenames)
        ):
            return 1
        return 0 if marker or "db" in item.fixturenames else 2

    items.sort(key=order)
