"""Redis is shared infrastructure that nobody audits record by record: it may hold sessions
(ids only), rate-limit counters and queued task ids, never a migrant's name or phone, a
consultation note, or a password hash."""

import uuid

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from consultations.models import Consultation, Service, Topic
from tests.factories import ROLE_PASSWORD, staff_user
from visitors.models import Visitor

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

GIVEN, FAMILY = "Zinaida", "Prokopchuk-Yaremenko"
PHONE = "+370 612 98765"
EMAIL = "zinaida.prokopchuk@example.net"
NOTE = "Landlord-Kirpichnikov keeps the deposit"
# How stored password hashes begin, whichever hasher made them.
HASH_PREFIXES = [b"pbkdf2_sha256$", b"pbkdf2_sha1$", b"argon2", b"bcrypt", b"scrypt", b"md5$"]


def _sign_in(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": ROLE_PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]


def _desk_journey(client, desk):
    _sign_in(client, desk)
    # Search for a name nobody has, then register the person.
    assert client.get(reverse("visitors:desk"), {"q": f"{GIVEN} {FAMILY}"}).status_code == 200
    response = client.post(
        reverse("visitors:visitor_create"),
        {
            "given_name": GIVEN,
            "family_name": FAMILY,
            "birth_year": "1979",
            "citizenship": "UA",
            "preferred_language": "uk",
            "phone": PHONE,
            "email": EMAIL,
            "household_size": "1",
            "consent_registration": "on",
            "confirm_new": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person = Visitor.objects.get(family_name=FAMILY)
    legal = Service.objects.get(code="legal")
    response = client.post(
        reverse("visitors:visit_log", args=[person.pk]),
        {
            "purposes": [legal.pk],
            "language": "uk",
            "note": "",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    # The desk and the person's page, with the name on both.
    assert FAMILY in client.get(reverse("visitors:desk")).content.decode()
    assert (
        FAMILY in client.get(reverse("visitors:visitor_detail", args=[person.pk])).content.decode()
    )
    assert client.get(reverse("visitors:desk"), {"q": FAMILY[:8]}).status_code == 200
    return person


def _consultation(client, lawyer, person):
    client.post(reverse("account_logout"))
    _sign_in(client, lawyer)
    response = client.post(
        reverse("consultations:create") + f"?visitor={person.pk}",
        {
            "service": Service.objects.get(code="legal").pk,
            "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "30",
            "mode": "in_person",
            "language": "uk",
            "topics": [Topic.objects.get(service__code="legal", code="housing").pk],
            "outcome": "Explained the lease.",
            "notes": NOTE,
            "follow_up_on": "",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    consultation = Consultation.objects.get()
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert NOTE in page


def _everything_in(url: str) -> list[tuple[bytes, bytes]]:
    """Every key of that Redis database with every value it holds, whatever its type."""
    server = redis.Redis.from_url(url)
    found = []
    for key in server.scan_iter(count=1000):
        kind = server.type(key)
        if kind == b"string":
            values = [server.get(key) or b""]
        elif kind == b"hash":
            values = [b"%s=%s" % pair for pair in server.hgetall(key).items()]
        elif kind == b"list":
            values = server.lrange(key, 0, -1)
        elif kind in (b"set",):
            values = list(server.smembers(key))
        elif kind == b"zset":
            values = server.zrange(key, 0, -1)
        else:
            values = [b""]
        found += [(key, value) for value in values]
    server.close()
    return found


class _Watched(Client):
    """A browser after each of whose requests everything in Redis is read: a value held only
    between two requests (a message, a form's data) is seen too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = []
        self.urls = {settings.REDIS_URL}
        if settings.CELERY_BROKER_URL.startswith("redis"):
            self.urls.add(settings.CELERY_BROKER_URL)

    def request(self, **request):
        response = super().request(**request)
        self.stored += [pair for url in self.urls for pair in _everything_in(url)]
        return response


def test_a_desk_journey_leaves_no_name_phone_note_or_password_hash_in_redis():
    client = _Watched()
    desk = staff_user(Role.RECEPTION)
    lawyer = staff_user(Role.LEGAL_ADVISER)
    person = _desk_journey(client, desk)
    _consultation(client, lawyer, person)
    stored = client.stored
    # The journey did reach Redis (its sessions are read through it), so the scan means
    # something.
    assert any(b"session" in key for key, _value in stored)

    personal = [
        GIVEN,
        FAMILY,
        PHONE,
        PHONE.replace(" ", ""),
        "61298765",
        EMAIL,
        NOTE,
        *[user.password for user in User.objects.all()],
    ]
    for key, value in stored:
        text = key + b" " + value
        for needle in personal:
            assert needle.encode() not in text, (needle, key)
        for prefix in HASH_PREFIXES:
            assert prefix not in text, (prefix, key)
