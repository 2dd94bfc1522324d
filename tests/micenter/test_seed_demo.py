import os
import sqlite3
import subprocess
import sys
import time
from contextlib import suppress
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role
from visitors.models import Visit, Visitor


@pytest.mark.django_db
def test_seed_demo_makes_one_login_per_role_and_reruns_without_duplicates(settings):
    settings.DEBUG = True  # as on a laptop; pytest runs with DEBUG off
    out = StringIO()
    call_command("seed_demo", "--visits", "60", stdout=out)
    printed = out.getvalue()
    for role in Role:
        assert User.objects.filter(groups__name=role.value).count() == 1, role
    assert "for local demos only" in printed and printed.count("demo-micenter-2023") == 9
    counts = (User.objects.count(), Visitor.objects.count(), Visit.objects.count())
    assert counts[2] == 60
    # The demo visitor can use their check-in code: their account is linked to a record.
    assert Visitor.objects.filter(user__email="visitor@example.org").exists()

    call_command("seed_demo", "--visits", "60", stdout=StringIO())
    call_command("seed_demo", "--once", stdout=StringIO())
    assert (User.objects.count(), Visitor.objects.count(), Visit.objects.count()) == counts


def test_seed_demo_refuses_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo", stdout=StringIO())


@pytest.mark.django_db
def test_every_demo_person_passes_the_rules_a_real_record_must():
    """`make run` seeds a whole year through the services: a made-up person the rules refuse
    (say, arriving before they were born) would stop a newcomer's first run."""
    import random

    from visitors.demo import _person
    from visitors.models import LegalStatus, Visitor

    statuses = list(LegalStatus.objects.all())
    rng = random.Random(2023)
    for _ in range(1000):
        Visitor(**_person(rng, statuses)).full_clean()


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout


def test_make_run_serves_at_once_while_the_demo_year_is_built_beside_it(tmp_path):
    """`seed_demo --once --background` (make run) makes the logins and returns; a process of
    its own builds the year meanwhile, and a second `make run` neither starts another nor
    says the data is complete before it is. Real processes on a real SQLite file."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MICENTER_DEMO_DIR": str(tmp_path),
        "DEBUG": "1",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
    }
    _manage("migrate", "--noinput", "-v0", env=env)
    printed = _manage("seed_demo", "--once", "--background", "--visits", "300", env=env)
    assert "Building the demo year in the background" in printed
    assert printed.count("demo-micenter-2023") == 9
    marker = tmp_path / ".demo-year-building"
    pid = int(marker.read_text())
    again = _manage("seed_demo", "--once", "--background", env=env)
    assert "still being built" in again or not marker.exists()
    for _ in range(600):
        if not marker.exists():
            break
        time.sleep(0.1)
    assert not marker.exists(), (tmp_path / ".demo-year.log").read_text()
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM visitors_visit").fetchone() == (300,)
        assert db.execute("SELECT count(*) FROM accounts_user").fetchone()[0] >= 9
    assert "Demo data already loaded." in _manage("seed_demo", "--once", env=env)


@pytest.mark.django_db
def test_pages_say_the_demo_year_is_loading_while_it_is(client, settings, tmp_path):
    settings.DEBUG = True
    settings.MICENTER_DEMO_DIR = tmp_path
    notice = "The demo year is still being loaded"
    assert notice not in client.get("/en/events/").content.decode()
    (tmp_path / ".demo-year-building").write_text(str(os.getpid()))  # a live process
    assert notice in client.get("/en/events/").content.decode()
    settings.DEBUG = False  # never on a real installation
    assert notice not in client.get("/en/events/").content.decode()
