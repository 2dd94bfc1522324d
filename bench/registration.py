"""200 people press "Register" at the same moment for 20 places, against gunicorn with
PostgreSQL: registrations per second, next to a bare Django view's requests per second in
the same run, and the final counts (20 confirmed, 180 on the waitlist, none lost).

Run by `make bench-registration`. It deletes the events of the database it runs on, so it
refuses any database whose name does not end in "_bench". Loopback only; every loop and
wait is bounded.
"""

import re
import threading
import time
from datetime import timedelta
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import staff_account_create
from bench.common import (
    HOST,
    Client,
    bench_write,
    gunicorn,
    require_bench_cache,
    require_bench_database,
)
from events.models import Attendance, Event, Message, Occurrence, Registration
from events.services import event_publish, event_save

PEOPLE = 200
PLACES = 20
BARE_REQUESTS = 2_000
BARE_THREADS = 8
WORKERS = 4


class Command(BaseCommand):
    help = "Benchmark: 200 simultaneous registrations for 20 places against gunicorn."

    def handle(self, *args, **options):
        require_bench_database(connection)
        require_bench_cache()
        event, session = self._event()
        # The burst comes from one address; the per-address guest limit would stop it.
        with gunicorn(workers=WORKERS, MICENTER_GUEST_REGISTRATIONS_PER_HOUR="0") as port:
            bare = self._bare(port)
            burst = self._burst(port, event, session)
        counts = {
            status: Registration.objects.filter(event=event, status=status).count()
            for status in ("confirmed", "waitlisted", "awaiting", "cancelled")
        }
        total = Registration.objects.filter(event=event).count()
        distinct = Registration.objects.filter(event=event).values("phone").distinct().count()
        result = {
            "bare_view_rps": round(bare, 1),
            "registrations_per_s": round(burst["rate"], 1),
            "ratio_to_bare": round(burst["rate"] / bare, 3),
            "burst_seconds": round(burst["seconds"], 2),
            "responses": burst["statuses"],
            "counts": counts,
            "total": total,
            "distinct_people": distinct,
            "gunicorn_workers": WORKERS,
        }
        self.stdout.write(f"bare Django view: {bare:,.0f} requests/s ({BARE_THREADS} clients)")
        self.stdout.write(
            f"{PEOPLE} registrations for {PLACES} places in {burst['seconds']:.2f} s: "
            f"{burst['rate']:,.0f} registrations/s ({result['ratio_to_bare']:.3f} of the bare view)"
        )
        self.stdout.write(
            f"final: {counts['confirmed']} confirmed, {counts['waitlisted']} waitlisted, "
            f"{total} in all, {distinct} different people, responses {burst['statuses']}"
        )
        ok = counts["confirmed"] == PLACES and counts["waitlisted"] == PEOPLE - PLACES
        ok = ok and total == PEOPLE == distinct
        self.stdout.write("counts as expected" if ok else "COUNTS WRONG")
        bench_write("registration", result)
        if not ok:
            raise CommandError("The registration burst ended with the wrong counts.")

    def _event(self):
        Attendance.objects.all().delete()
        Message.objects.all().delete()
        Registration.objects.all().delete()
        Occurrence.objects.all().delete()
        Event.objects.all().delete()
        coordinator = User.objects.filter(email="bench-events@example.org").first()
        if coordinator is None:
            coordinator = staff_account_create(
                email="bench-events@example.org", role=Role.EVENT_COORDINATOR
            )
        start = timezone.now() + timedelta(days=2)
        event = Event(title="Bench club", title_lt="Bench club", category="club", capacity=PLACES)
        event_save(
            event=event, occurrences=[(start, start + timedelta(hours=1))], saved_by=coordinator
        )
        event_publish(event=event, published_by=coordinator)
        return event, event.occurrences.get()

    def _bare(self, port) -> float:
        per_client = BARE_REQUESTS // BARE_THREADS

        def run():
            client = Client(port)
            for _ in range(per_client):
                client.request("GET", "/ping")

        for _ in range(2):  # warm the workers
            Client(port).request("GET", "/ping")
        threads = [threading.Thread(target=run) for _ in range(BARE_THREADS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return per_client * BARE_THREADS / (time.perf_counter() - started)

    def _burst(self, port, event, session) -> dict:
        path = f"/en/events/{event.pk}/"
        clients, tokens = [], []
        for _ in range(PEOPLE):
            client = Client(port)
            status, page = client.request("GET", path)
            match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if status != 200 or not match:
                raise CommandError(f"Could not open the event page ({status}).")
            clients.append(client)
            tokens.append(match.group(1).decode())
        barrier = threading.Barrier(PEOPLE + 1)
        statuses: dict[int, int] = {}
        lock = threading.Lock()

        def register(number):
            body = urlencode(
                {
                    "csrfmiddlewaretoken": tokens[number],
                    "register-occurrence": session.pk,
                    "register-household_size": 1,
                    "register-name": f"Bench guest {number}",
                    "register-phone": f"+3706{number:07d}",
                    "register-consent": "on",
                    "register-join_waitlist": "on",
                }
            )
            barrier.wait(timeout=60)
            status, _content = clients[number].request(
                "POST",
                f"/en/events/{event.pk}/register/",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{port}{path}",
                },
            )
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

        threads = [threading.Thread(target=register, args=[n]) for n in range(PEOPLE)]
        for thread in threads:
            thread.start()
        barrier.wait(timeout=60)
        started = time.perf_counter()
        for thread in threads:
            thread.join(timeout=120)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "rate": PEOPLE / seconds, "statuses": statuses}
