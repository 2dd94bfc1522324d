"""Pages under load (wrk) against gunicorn with production settings on PostgreSQL and Redis,
every page rendered for each request (nothing is cached): the desk, a visitor search with a
different name on every request, a visitor's page, an adviser's worklist, and the anonymous
"What's on" and event page. Each is printed as requests/s and as a ratio to a bare Django
view measured in the same run (target 0.10 or more, aim 0.15), with the bare view signed in
(what being signed in costs alone). Then a summary of every benchmark in artifacts/bench/.

Run by `make bench` after the other benchmarks, on the report benchmark's database (which
holds the demo year); it adds today's visits and coming events when they are missing.
"""

import json
import re
import secrets
import shutil
import statistics
import subprocess
from datetime import timedelta
from pathlib import Path

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts.models import User
from accounts.roles import Role
from accounts.services import staff_account_create
from bench.common import (
    HOST,
    Client,
    bench_folder,
    bench_write,
    gunicorn,
    require_bench_cache,
    require_bench_database,
)
from consultations.models import Consultation, Service, Topic
from consultations.services import consultation_log
from events.models import Category, Event
from events.services import event_publish, event_save, weekly_sessions
from visitors.models import Visit, Visitor
from visitors.services import visit_log

DURATION = "4s"
ROUNDS = 3
CONNECTIONS = 8
WORKERS = 2
BARE = "bare view"
# The same bare view for a signed-in staff member: what being signed in costs by itself (the
# session, who they are, what they may do), apart from any page. Printed, no target.
SIGNED_IN_BARE = "bare view, signed in"
WITHOUT_TARGET = (BARE, SIGNED_IN_BARE)
TARGET = 0.10
AIM = 0.15
# A search for a name nobody searched before, on every request: syllables of the names the
# centre meets, put together at random in each wrk thread (over a million combinations).
SEARCH_SCRIPT = """
local syllables = {"ko", "va", "len", "shev", "chen", "pet", "ren", "mel", "nyk", "bon",
  "dar", "ser", "hii", "tar", "as", "ol", "ena", "iv", "an", "ov", "yu", "ra", "ma", "lyk",
  "kaz", "laus", "kas", "mu", "ha", "med", "ali", "zh", "uk", "ro", "sky", "ich"}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 100 + id)
end
function request()
  local name = ""
  for _ = 1, 4 do
    name = name .. syllables[math.random(#syllables)]
  end
  return wrk.format("GET", "/en/desk/?q=" .. name)
end
"""


def _pages(people) -> list[tuple[str, str, str | None]]:
    """(label, path, who is signed in: "desk", "legal" or None)."""
    return [
        (BARE, "/ping", None),
        (SIGNED_IN_BARE, "/ping", "desk"),
        ("desk (today's visits)", "/en/desk/", "desk"),
        ("visitor search, new name", "/en/desk/?q=Shevchenko", "desk"),
        ("visitor's page", f"/en/desk/visitors/{people['visitor']}/", "desk"),
        ("adviser's worklist", "/en/consultations/", "legal"),
        ("What's on (anonymous)", "/en/events/", None),
        ("event page (anonymous)", f"/en/events/{people['event']}/", None),
    ]


def _staff(email, role):
    user = User.objects.filter(email=email).first()
    return user or staff_account_create(email=email, role=role)


def _browser_cookies(user) -> str:
    """The cookies of a browser signed in as `user`: its session, and the CSRF cookie it was
    given with the sign-in form (without it, every page would make it a new one)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    )


def _wrk(url: str, cookie: str | None, duration: str = DURATION, script=None) -> float:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "--timeout", "10s", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    if script:
        args[1:1] = ["-s", str(script)]
    output = subprocess.run(  # noqa: S603 - wrk with our own arguments
        args, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if rate is None or errors is not None:
        raise CommandError(f"wrk could not measure {url}:\n{output}")
    return float(rate.group(1))


class Command(BaseCommand):
    help = "Benchmark pages under load (wrk) against gunicorn, as ratios to a bare view."

    def handle(self, *args, **options):
        require_bench_database(connection)
        require_bench_cache()
        if shutil.which("wrk") is None:
            raise CommandError("wrk is needed (Debian: apt-get install wrk).")
        people = self._data()
        # The session is signed with the secret key: the server must use the same one.
        settings.SECRET_KEY = secrets.token_urlsafe(64)
        cookies = {who: _browser_cookies(user) for who, user in people["staff"].items()}
        results = self._run(_pages(people), cookies)
        for label, row in results.items():
            target = "" if label in WITHOUT_TARGET else f" (target >= {TARGET}, aim {AIM})"
            self.stdout.write(
                f"{label:<26} {row['requests_per_s']:>8,.0f} requests/s  "
                f"ratio {row['ratio_to_bare']:.3f}{target}"
            )
        bench_write("pages", results)
        self._summary(bench_folder())

    def _run(self, pages, cookies) -> dict:
        script = bench_folder() / "search.lua"
        script.write_text(SEARCH_SCRIPT)
        results = {}
        with gunicorn(
            workers=WORKERS, MICENTER_STAFF_MFA_REQUIRED="1", SECRET_KEY=settings.SECRET_KEY
        ) as port:

            def load(label, path, who, duration=DURATION):
                return _wrk(
                    f"http://{HOST}:{port}{path}",
                    cookies.get(who),
                    duration,
                    script if label.startswith("visitor search") else None,
                )

            for label, path, who in pages:
                # A signed-in page must really be the page, not a redirect to the login.
                status, _body = Client(port).request(
                    "GET", path, headers={"Cookie": cookies[who]} if who else None
                )
                if status != 200:
                    raise CommandError(f"{path} answered {status}, not 200.")
                # Untimed: every worker's first requests (imports, connections, caches).
                load(label, path, who, "1s")
            # Every page in turn, ROUNDS times: a busy spell of the shared machine falls on
            # the bare view as much as on the pages measured against it.
            rates = {label: [] for label, _path, _who in pages}
            for _round in range(ROUNDS):
                for label, path, who in pages:
                    rates[label].append(load(label, path, who))
            for label, path, _who in pages:
                results[label] = {
                    "path": path,
                    "requests_per_s": round(statistics.mean(rates[label]), 1),
                    "rounds": [round(rate, 1) for rate in rates[label]],
                }
        bare = results[BARE]["requests_per_s"]
        for row in results.values():
            row["ratio_to_bare"] = round(row["requests_per_s"] / bare, 3)
        return results

    def _data(self) -> dict:
        desk = _staff("bench-desk@example.org", Role.RECEPTION)
        legal = _staff("bench-legal@example.org", Role.LEGAL_ADVISER)
        # Staff need an authenticator app in production; the page only checks that it exists.
        for user in (desk, legal):
            Authenticator.objects.get_or_create(
                user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
            )
        today = timezone.localdate()
        people = list(
            Visitor.objects.filter(merged_into__isnull=True, erased_at__isnull=True).order_by("id")[
                :60
            ]
        )
        if not people:
            raise CommandError("No visitors: seed the demo year first (make bench-report).")
        if Visit.objects.filter(occurred_at__date=today).count() < 50:
            for person in people[:50]:
                visit_log(
                    visitor=person,
                    purposes=[],
                    logged_by=desk,
                    occurred_at=timezone.now() - timedelta(minutes=10),
                )
        coordinator = _staff("bench-events@example.org", Role.EVENT_COORDINATOR)
        coming = Event.objects.public().filter(occurrences__starts_at__gt=timezone.now())
        if coming.distinct().count() < 12:
            for number in range(12):
                event = Event(
                    title=f"Bench event {number}",
                    title_lt=f"Bench event {number}",
                    category=Category.EVENT,
                    capacity=30,
                    languages="lt,uk",
                )
                first = timezone.now() + timedelta(days=1 + number)
                event_save(
                    event=event,
                    saved_by=coordinator,
                    occurrences=weekly_sessions(
                        first_start=first, duration=timedelta(hours=2), count=4
                    ),
                )
                event_publish(event=event, published_by=coordinator)
        self._adviser_day(legal, people)
        # A person with a history: the most visits and consultations of the demo year.
        visitor = (
            Visitor.objects.filter(merged_into__isnull=True, erased_at__isnull=True)
            .annotate(seen=Count("visits"))
            .order_by("-seen", "id")
            .values_list("pk", flat=True)
            .first()
        )
        return {
            "staff": {"desk": desk, "legal": legal},
            "visitor": visitor,
            "event": coming.order_by("id").values_list("pk", flat=True).first(),
        }

    def _adviser_day(self, legal, people):
        """The adviser's worklist as on a busy day: eight consultations today and more
        follow-ups due than the list shows."""
        if Consultation.objects.filter(consultant=legal).exists():
            return
        service = Service.objects.get(code="legal")
        topic = Topic.objects.filter(service=service).first()
        now = timezone.now()
        for number, person in enumerate(people[:30]):
            today = number < 8
            started = now - (timedelta(minutes=40 * number) if today else timedelta(days=number))
            consultation_log(
                consultant=legal,
                service=service,
                duration_minutes=30,
                started_at=started,
                topics=[topic],
                notes="Bench consultation",
                follow_up_on=None if today else timezone.localdate(started) + timedelta(days=1),
                visitors=[person],
            )

    def _summary(self, out: Path):
        summary = {}
        for name in ("search", "registration", "report", "pages"):
            path = out / f"{name}.json"
            if path.exists():
                summary[name] = json.loads(path.read_text())
        (out / "summary.json").write_text(json.dumps(summary, indent=2))
        self.stdout.write("")
        self.stdout.write("Summary (artifacts/bench/summary.json):")
        if "search" in summary:
            self.stdout.write(f"  search p95 100k/1k: {summary['search']['p95_ratio']} (<= 2)")
        if "registration" in summary:
            r = summary["registration"]
            self.stdout.write(
                f"  200-for-20 burst: {r['registrations_per_s']}/s, "
                f"{r['ratio_to_bare']} of bare; {r['counts']['confirmed']} confirmed, "
                f"{r['counts']['waitlisted']} waitlisted"
            )
        if "report" in summary:
            r = summary["report"]
            ratios = ", ".join(f"{k} {v['ratio']}" for k, v in r.items() if isinstance(v, dict))
            self.stdout.write(
                f"  yearly report / SQL: {ratios} (<= 1.2); growth 100k->1M "
                f"{r['growth_100k_to_1M']}x (<= 10), the SQL's "
                f"{r.get('sql_growth_100k_to_1M', '?')}x"
            )
        for label, row in summary.get("pages", {}).items():
            if label == SIGNED_IN_BARE:
                self.stdout.write(f"  {label}: {row['ratio_to_bare']} of bare (no target)")
            elif label != BARE:
                self.stdout.write(f"  {label}: {row['ratio_to_bare']} of bare (>= {TARGET})")
