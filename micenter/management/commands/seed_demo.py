"""Demo data for trying the portal locally: one account per role, through the services.

Re-runnable: what exists is left alone. Later parts of the domain add their data here.
With --background (what `make run` uses) the accounts are made at once and the demo year is
built by a process of its own (micenter.demo_build), so the site serves meanwhile.
"""

from contextlib import nullcontext
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.services import staff_account_create, visitor_account_create
from consultations.demo import demo_consultations
from events.demo import demo_coming_events, demo_events
from micenter import demo_build
from visitors import services
from visitors.demo import demo_year
from visitors.models import Visit, Visitor

# Published on purpose: demo accounts only ever exist on a laptop (see handle()).
DEMO_PASSWORD = "demo-micenter-2023"  # noqa: S105
DEMO_STAFF = [
    (Role.RECEPTION, "reception@example.org", "Rūta", "Kazlauskienė", "lt"),
    (Role.LEGAL_ADVISER, "legal@example.org", "Tomas", "Petrauskas", "lt"),
    (Role.CAREER_ADVISER, "career@example.org", "Olena", "Kovalenko", "uk"),
    (Role.PSYCHOLOGIST, "psychologist@example.org", "Iryna", "Melnyk", "uk"),
    (Role.EVENT_COORDINATOR, "events@example.org", "Aistė", "Jankauskaitė", "lt"),
    (Role.MANAGER, "manager@example.org", "Jonas", "Stankevičius", "lt"),
    (Role.ADMINISTRATOR, "admin@example.org", "Laura", "Vaitkutė", "en"),
    (Role.KIOSK, "kiosk@example.org", "", "", "lt"),
]
DEMO_VISITOR = ("visitor@example.org", "uk")
# The centre's first year: it opened on 23 October 2023.
DEMO_YEAR_START = date(2023, 10, 23)


class Command(BaseCommand):
    help = "Create demo accounts (one per role) for local demos. Never on a real installation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Do nothing if the demo data is already there (only print the logins).",
        )
        parser.add_argument(
            "--visits", type=int, default=6300, help="Visits in the demo year (default 6300)."
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Make the accounts, then build the demo year in a process of its own.",
        )
        parser.add_argument(
            "--year",
            action="store_true",
            help="Build only the demo year (what --background starts).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (benchmarks on production settings).",
        )

    def handle(
        self,
        *args,
        once=False,
        allow_production=False,
        visits=6300,
        background=False,
        year=False,
        **options,
    ):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo makes accounts with a published password; "
                "it refuses to run with DEBUG off (see --allow-production)."
            )
        if year:
            try:
                # Service by service, each committing: the site being tried meanwhile can
                # write too (a sign-in) without waiting for the whole year.
                self._year(visits, atomic=False)
            finally:
                demo_build.finished()
            return
        if once and User.objects.filter(email=DEMO_STAFF[0][1]).exists():
            self._say_how_far()
        else:
            with transaction.atomic():
                self._accounts()
            if background and not Visit.objects.exists():
                demo_build.start(visits)
                self.stdout.write(
                    "Building the demo year in the background (about two minutes; the pages "
                    f"say so until it is done; log: {demo_build.log().name})."
                )
            elif not background:
                self._year(visits, atomic=True)  # nothing if the year is there
        self._print_logins()

    def _say_how_far(self) -> None:
        if demo_build.building():
            self.stdout.write("Demo accounts are there; the demo year is still being built.")
        elif demo_build.marker().exists():
            self.stdout.write(
                "The demo year was interrupted while it was built: delete db.sqlite3 and run "
                "again for the whole year."
            )
        else:
            self.stdout.write("Demo data already loaded.")

    def _accounts(self) -> None:
        for role, email, first, last, language in DEMO_STAFF:
            if not User.objects.filter(email=email).exists():
                staff_account_create(
                    email=email,
                    role=role,
                    first_name=first,
                    last_name=last,
                    language=language,
                    password=DEMO_PASSWORD,
                )
        email, language = DEMO_VISITOR
        if not User.objects.filter(email=email).exists():
            visitor_account_create(
                email=email, password=DEMO_PASSWORD, language=language, verified=True
            )

    def _year(self, visits: int, *, atomic: bool) -> None:
        if Visit.objects.exists():
            return
        with transaction.atomic() if atomic else nullcontext():
            desk = User.objects.get(email=DEMO_STAFF[0][1])
            logged = demo_year(
                logged_by=desk,
                start=DEMO_YEAR_START,
                visits=visits,
                people=max(1, visits * 26 // 63),
            )
            consultations = demo_consultations(
                consultants={
                    "legal": User.objects.get(email="legal@example.org"),
                    "career": User.objects.get(email="career@example.org"),
                    "psychological": User.objects.get(email="psychologist@example.org"),
                    "information": desk,
                },
                until=DEMO_YEAR_START + timedelta(days=366),
            )
            coordinator = User.objects.get(email="events@example.org")
            sessions = demo_events(
                coordinator=coordinator,
                start=DEMO_YEAR_START,
                until=DEMO_YEAR_START + timedelta(days=366),
            )
            demo_coming_events(coordinator=coordinator)
            self.stdout.write(
                f"Demo year from {DEMO_YEAR_START}: {logged} visits, "
                f"{consultations} consultations, {sessions} event sessions."
            )
            # The demo visitor's account is linked to a record: "My check-in code" works.
            services.visitor_account_link(
                visitor=Visitor.objects.filter(user__isnull=True, email="").first(),
                email=DEMO_VISITOR[0],
                linked_by=desk,
            )

    def _print_logins(self):
        out = self.stdout
        out.write("")
        out.write("Demo logins (for local demos only; the password is public):")
        rows = [(str(role.label), email) for role, email, *_ in DEMO_STAFF]
        rows.append((str(_("Visitor")), DEMO_VISITOR[0]))
        width = max(len(label) for label, _email in rows) + 2
        for label, email in rows:
            out.write(f"  {label:<{width}} {email:<28} {DEMO_PASSWORD}")
        out.write("")
