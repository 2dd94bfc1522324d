"""Every non-trivial read about events, limited to what the reader may see."""

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Attendance, Category, Event, Occurrence, Registration

# Registrations for these reveal something about a person's health: only the people who run
# them (coordinators, psychologists) and the desk that registers people see them.
SENSITIVE_CATEGORIES = [Category.THERAPEUTIC_GROUP, Category.SUPPORT_GROUP]


def _with_places(occurrences: QuerySet[Occurrence]) -> QuerySet[Occurrence]:
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return occurrences.annotate(
        taken=Coalesce(Sum("registrations__household_size", filter=confirmed), 0),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
    )


# What a card on "What's on" shows (the description and the rest are read on the event page).
CARD_FIELDS = [
    "id",
    "category",
    "audience",
    "languages",
    *(
        f"{name}_{code}"
        for name in ("title", "summary", "location")
        for code, _label in settings.LANGUAGES
    ),
]


def events_public(
    *, date_from=None, date_to=None, category="", audience="", language=""
) -> QuerySet[Event]:
    """Published public events with a session still to come (in the date range, if given),
    soonest first, each with its next start (`next_start`) and how many of its sessions are
    still to come in that range (`sessions_left`)."""
    now = timezone.now()
    sessions = Occurrence.objects.filter(is_cancelled=False, starts_at__gte=now)
    if date_from:
        sessions = sessions.filter(starts_at__date__gte=date_from)
    if date_to:
        sessions = sessions.filter(starts_at__date__lte=date_to)
    events = Event.objects.public().filter(Exists(sessions.filter(event=OuterRef("pk"))))
    if category:
        events = events.filter(category=category)
    if audience:
        events = events.filter(Q(audience=audience) | Q(audience="everyone"))
    if language:
        events = events.filter(languages__contains=language)
    mine = sessions.filter(event=OuterRef("pk")).order_by()
    first = mine.order_by("starts_at").values("starts_at")[:1]
    count = mine.annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    return (
        events.only(*CARD_FIELDS)
        .annotate(next_start=Subquery(first), sessions_left=Subquery(count))
        .order_by("next_start", "id")
    )


def event_public(*, pk: int) -> Event:
    """One published public event (DoesNotExist otherwise) with its coming sessions and the
    places taken on each (`event.upcoming`, each with `taken` and `waiting`)."""
    now = timezone.now()
    sessions = _with_places(
        Occurrence.objects.filter(is_cancelled=False, starts_at__gte=now)
    ).order_by("starts_at")
    return (
        Event.objects.public()
        .select_related("leader")
        .prefetch_related(Prefetch("occurrences", queryset=sessions, to_attr="upcoming"))
        .get(pk=pk)
    )


def cohort_places_taken(event: Event) -> int:
    return (
        Registration.objects.filter(
            event=event, occurrence__isnull=True, status=Registration.Status.CONFIRMED
        ).aggregate(total=Sum("household_size"))["total"]
        or 0
    )


def registrations_of_user(*, user) -> QuerySet[Registration]:
    """A visitor's own registrations (through their account or their record), newest
    event first."""
    if not user.is_authenticated:
        return Registration.objects.none()
    return (
        Registration.objects.filter(Q(user=user) | Q(visitor__user=user))
        .select_related("event", "occurrence")
        .prefetch_related(
            Prefetch(
                "event__occurrences",
                queryset=Occurrence.objects.filter(is_cancelled=False),
                to_attr="sessions",
            )
        )
        .order_by("-created_at", "-id")
    )


def events_for_staff(*, user) -> QuerySet[Event]:
    """Coordinators and administrators see every event; the desk sees published ones (to
    register walk-ins and check people in); nobody else any."""
    if user.has_perm("events.change_event"):
        events = Event.objects.all()
    elif user.has_perm("events.add_attendance"):
        events = Event.objects.filter(status=Event.Status.PUBLISHED)
    else:
        return Event.objects.none()
    now = timezone.now()
    return events.annotate(
        sessions=Count("occurrences", distinct=True),
        confirmed=Coalesce(
            Sum(
                "registrations__household_size",
                filter=Q(registrations__status=Registration.Status.CONFIRMED),
            ),
            0,
            output_field=IntegerField(),
        ),
        next_start=Occurrence.objects.filter(
            event=OuterRef("pk"), is_cancelled=False, starts_at__gte=now
        )
        .order_by("starts_at")
        .values("starts_at")[:1],
    ).order_by("-next_start", "-id")


def event_for_staff(*, user, pk: int) -> Event:
    return events_for_staff(user=user).select_related("leader").get(pk=pk)


def sessions_of(event: Event) -> QuerySet[Occurrence]:
    return _with_places(event.occurrences.all()).order_by("starts_at")


def registrations_of_event(*, event: Event) -> QuerySet[Registration]:
    """Everyone registered (confirmed, waiting, awaiting email, cancelled) for staff."""
    return (
        Registration.objects.filter(event=event)
        .select_related("occurrence", "visitor", "user")
        .order_by("occurrence__starts_at", "created_at", "id")
    )


def check_in_list(*, occurrence: Occurrence, query: str = "") -> list[Registration]:
    """The people with a confirmed place at this session, with `present` set, by name."""
    registrations = (
        Registration.objects.filter(
            Q(occurrence=occurrence) | Q(event=occurrence.event_id, occurrence__isnull=True),
            status=Registration.Status.CONFIRMED,
        )
        .select_related("visitor", "user")
        .annotate(
            present=Exists(
                Attendance.objects.filter(registration=OuterRef("pk"), occurrence=occurrence)
            )
        )
    )
    rows = sorted(registrations, key=lambda r: r.person_name.casefold())
    if query:
        needle = query.casefold().strip()
        rows = [r for r in rows if needle in r.person_name.casefold()]
    return rows


def attendance_rows(*, event: Event):
    """(registration, session, present) for every confirmed place at every held session."""
    sessions = list(event.occurrences.filter(is_cancelled=False).order_by("starts_at"))
    registrations = list(
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .select_related("visitor", "user", "occurrence")
        .order_by("created_at", "id")
    )
    present = set(
        Attendance.objects.filter(occurrence__event=event).values_list(
            "registration_id", "occurrence_id"
        )
    )
    for session in sessions:
        for registration in registrations:
            if registration.occurrence_id not in (None, session.pk):
                continue
            yield registration, session, (registration.pk, session.pk) in present


def registrations_of_visitor(*, user, visitor) -> QuerySet[Registration]:
    """A person's registrations on their page; therapeutic and support groups only for
    those who run them (coordinators, psychologists) and the desk."""
    mine = Q(visitor=visitor) | (Q(user=visitor.user_id) if visitor.user_id else Q())
    registrations = (
        Registration.objects.filter(mine)
        .select_related("event", "occurrence")
        # What the person's page shows: the event's name, the session's time, the status.
        .only(
            "status",
            "cancelled_by_centre",
            "occurrence__starts_at",
            "event__category",
            *(f"event__title_{code}" for code, _label in settings.LANGUAGES),
        )
        .order_by("-created_at", "-id")
    )
    trusted = user.has_perm("events.change_event") or user.has_perm("events.add_registration")
    if not trusted and "psychologist" not in user.role_codes:
        registrations = registrations.exclude(event__category__in=SENSITIVE_CATEGORIES)
    return registrations
