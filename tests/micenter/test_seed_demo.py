from io import StringIO

import pytest
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
