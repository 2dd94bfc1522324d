"""Visitor search at 1,000 and 100,000 people: p50/p95 latency and their ratio.

Run by `make bench-search` against PostgreSQL. It empties the visitor tables of the database
it runs on, so it refuses any database whose name does not end in "_bench".
"""

import io
import random
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import staff_account_create
from bench.common import bench_write
from visitors import search_keys
from visitors.demo import PEOPLE
from visitors.models import Visitor, VisitorSearchKey
from visitors.selectors import visitors_search

SIZES = [1_000, 100_000]
QUERIES = 300
ROUNDS = 3
BATCH = 5_000
# Spelling variants the desk types for names stored in the other script.
TYPED_VARIANTS = {
    "Шевченко": "Shevchenco",
    "Коваленко": "Kovalenko",
    "Бондаренко": "Bondarenka",
    "Ткаченко": "Tkachenko",
    "Мельник": "Melnik",
    "Олійник": "Oliinyk",
    "Shevchuk": "Шевчук",
    "Kovalchuk": "Ковальчук",
    "Moroz": "Мороз",
}


# A registry of 100,000 real people holds thousands of different family names, a few of
# them common. Names are built from syllables (about 20,000 different family names), drawn
# with a long-tailed (Zipf-like) frequency; a tenth are the demo's Cyrillic names.
_FIRST = [
    "ko",
    "ba",
    "sha",
    "mel",
    "tka",
    "kra",
    "bon",
    "hry",
    "ly",
    "mo",
    "pe",
    "sa",
    "ru",
    "di",
    "ka",
    "vo",
    "ho",
    "za",
    "fe",
    "ni",
    "ro",
    "le",
    "ma",
    "po",
    "bo",
    "ya",
    "ze",
    "ku",
    "ste",
    "pa",
    "ve",
    "ha",
    "ty",
    "si",
    "do",
    "ne",
    "ri",
    "zu",
]
_SECOND = [
    "val",
    "lan",
    "rok",
    "dar",
    "sen",
    "vic",
    "nyk",
    "tor",
    "hol",
    "zar",
    "lin",
    "mat",
    "bor",
    "pet",
    "rud",
    "sav",
    "hen",
    "dym",
    "las",
    "nov",
    "kur",
    "mir",
    "pol",
    "tar",
    "vin",
    "zel",
    "rom",
    "bil",
    "chor",
    "sok",
]
_SUFFIX = [
    "enko",
    "chuk",
    "uk",
    "ko",
    "ov",
    "ova",
    "ev",
    "in",
    "ska",
    "sky",
    "ych",
    "yshyn",
    "iak",
    "ets",
    "ovych",
    "yk",
]


def _random_name(rng):
    country, _weight, given, family = rng.choices(PEOPLE, weights=[p[1] for p in PEOPLE])[0]
    if rng.random() < 0.1:
        return rng.choice(given), rng.choice(family), country
    rank = min(int(rng.paretovariate(1.1)), 400)
    first = _FIRST[(rank * 7) % len(_FIRST)] if rank > 1 else rng.choice(_FIRST)
    family_name = (first + rng.choice(_SECOND) + rng.choice(_SUFFIX)).capitalize()
    return rng.choice(given), family_name, country


def _fill(size: int, rng: random.Random) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE visitors_visitorsearchkey, visitors_visitor CASCADE")
        made = 0
        while made < size:
            people = []
            for _ in range(min(BATCH, size - made)):
                given, family, country = _random_name(rng)
                words = search_keys.readings(f"{given} {family}")
                people.append(
                    (
                        Visitor(
                            given_name=given,
                            family_name=family,
                            citizenship=country,
                            phone=(phone := f"+3706{rng.randint(1000000, 9999999)}"),
                            phone_digits=search_keys.phone_digits(phone),
                            search_text=" ".join(sorted(words)),
                        ),
                        words,
                    )
                )
            Visitor.objects.bulk_create([person for person, _words in people])
            # The keys (about 20 a person) go in by COPY: the same rows the desk's service
            # writes, without two million model instances on the way (a key is letters or
            # "#" and digits: nothing in it needs escaping).
            keys = io.StringIO()
            for person, words in people:
                for key, exact in search_keys.index_rows(words, person.phone_digits).items():
                    keys.write(f"{person.pk}\t{key[:64]}\t{'t' if exact else 'f'}\n")
            keys.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(
                    f"COPY {VisitorSearchKey._meta.db_table} (visitor_id, key, exact) FROM STDIN",
                    keys,
                )
            made += len(people)
    # VACUUM as autovacuum would soon after a load of this size: until it marks the pages
    # all-visible, an index-only scan still visits the table, which no steady state does.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE visitors_visitor")
        cursor.execute("VACUUM ANALYZE visitors_visitorsearchkey")


def _queries(rng: random.Random) -> list[str]:
    sample = list(
        Visitor.objects.order_by("?").values_list("given_name", "family_name", "phone")[:QUERIES]
    )
    queries = []
    for n, (given, family, phone) in enumerate(sample):
        kind = n % 5
        if kind == 0:
            queries.append(family)  # as written
        elif kind == 1:
            queries.append(TYPED_VARIANTS.get(family, family.upper()))  # other script / case
        elif kind == 2:
            queries.append(f"{given} {family}")  # both names
        elif kind == 3:
            queries.append(family[:4])  # the start of a name
        else:
            queries.append(phone[-7:])  # part of a phone number
    rng.shuffle(queries)
    return queries


def _settle() -> None:
    """Statistics for the tables just filled, as autovacuum would make them soon after: the
    planner must not guess, and autovacuum must not start in the middle of the timing."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE visitors_visitor, visitors_visitorsearchkey")


def _measure(user, queries) -> dict:
    """Each search is timed in ROUNDS rounds and keeps its median: a search slow every time
    stays in the tail, a pause of the shared machine during one round does not."""
    for query in queries[:20]:  # warm caches and connections
        visitors_search(user=user, query=query)
    rounds = []
    for _ in range(ROUNDS):
        times = []
        found = 0  # the same in every round
        for query in queries:
            started = time.perf_counter()
            found += bool(visitors_search(user=user, query=query))
            times.append((time.perf_counter() - started) * 1000)
        rounds.append(times)
    timings = sorted(statistics.median(each) for each in zip(*rounds, strict=True))
    return {
        "queries": len(timings),
        "found": found,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
    }


class Command(BaseCommand):
    help = "Benchmark visitor search at 1,000 and 100,000 visitors (PostgreSQL, *_bench DB)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)

    def handle(self, *args, sizes, **options):
        name = settings.DATABASES["default"]["NAME"]
        if connection.vendor != "postgresql" or not str(name).endswith("_bench"):
            raise CommandError(
                "Run against a PostgreSQL database named *_bench (make bench-search)."
            )
        rng = random.Random(7)
        user = User.objects.filter(email="bench-desk@example.org").first() or staff_account_create(
            email="bench-desk@example.org", role=Role.RECEPTION, password="bench-only-password"
        )
        user = User.objects.get(pk=user.pk)
        user.has_perm("visitors.view_visitor")
        results = {}
        for size in sizes:
            started = time.perf_counter()
            _fill(size, rng)
            _settle()
            filled = time.perf_counter() - started
            results[size] = _measure(user, _queries(rng))
            results[size]["fill_s"] = round(filled, 1)
            self.stdout.write(
                f"{size:>7} visitors: p50 {results[size]['p50_ms']:.2f} ms, "
                f"p95 {results[size]['p95_ms']:.2f} ms "
                f"({results[size]['found']}/{results[size]['queries']} found; "
                f"filled in {filled:.0f} s)"
            )
        if len(sizes) >= 2:
            small, large = results[sizes[0]], results[sizes[-1]]
            ratio = large["p95_ms"] / small["p95_ms"]
            results["p95_ratio"] = round(ratio, 2)
            self.stdout.write(f"p95 ratio {sizes[-1]:,} / {sizes[0]:,}: {ratio:.2f} (target <= 2)")
        self.stdout.write(f"Written {bench_write('search', results)}")
