"""The centre's first year of events and groups for seed_demo, made through the events'
services: the Wednesday Lithuanian conversation club a visitor founded, the seniors' club, the
weekly meeting with psychologists, therapeutic groups for children, teenagers and seniors four
times a year, children's activities, and one-off evenings (a Christmas market, a song-contest
evening, storytelling). Registrations come from the demo visitors; most people turn up."""

import random
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from events import services
from events.models import Audience, Category, Event
from visitors.demo import VILNIUS
from visitors.models import Visitor

# (texts lt/en/uk/ru, category, audience, languages, weekday, hour, weeks apart, capacity,
#  volunteer leader)
WEEKLY = [
    (
        (
            "Lietuvių kalbos pokalbių klubas",
            "Lithuanian conversation club",
            "Клуб розмовної литовської",
            "Клуб разговорного литовского",
        ),
        Category.CLUB,
        Audience.ADULTS,
        "lt,uk,ru",
        2,
        18,
        1,
        15,
        "Natalija (savanorė)",
    ),
    (
        ("Senjorų klubas", "Seniors' club", "Клуб для людей старшого віку", "Клуб для пожилых"),
        Category.CLUB,
        Audience.SENIORS,
        "uk,ru,lt",
        3,
        14,
        1,
        20,
        "",
    ),
    (
        (
            "Savaitinis susitikimas su psichologais",
            "Weekly meeting with psychologists",
            "Щотижнева зустріч із психологами",
            "Еженедельная встреча с психологами",
        ),
        Category.SUPPORT_GROUP,
        Audience.ADULTS,
        "uk,ru",
        1,
        17,
        1,
        12,
        "",
    ),
    (
        ("Vaikų popietė", "Children's afternoon", "Дитячий день", "Детский день"),
        Category.CHILDREN,
        Audience.CHILDREN,
        "lt,uk",
        5,
        11,
        2,
        15,
        "",
    ),
]
THERAPEUTIC = [
    (
        (
            "Terapinė grupė paaugliams",
            "Therapeutic group for teenagers",
            "Терапевтична група для підлітків",
            "Терапевтическая группа для подростков",
        ),
        Audience.TEENAGERS,
    ),
    (
        (
            "Terapinė grupė vaikams",
            "Therapeutic group for children",
            "Терапевтична група для дітей",
            "Терапевтическая группа для детей",
        ),
        Audience.CHILDREN,
    ),
    (
        (
            "Terapinė grupė senjorams",
            "Therapeutic group for seniors",
            "Терапевтична група для людей старшого віку",
            "Терапевтическая группа для пожилых",
        ),
        Audience.SENIORS,
    ),
]
ONE_OFF = [
    (
        ("Kalėdų mugė", "Christmas market", "Різдвяний ярмарок", "Рождественская ярмарка"),
        date(2023, 12, 16),
        60,
    ),
    (
        ("Pasakų vakaras", "Storytelling evening", "Вечір казок", "Вечер сказок"),
        date(2023, 11, 24),
        30,
    ),
    (
        ("Pasakų vakaras", "Storytelling evening", "Вечір казок", "Вечер сказок"),
        date(2024, 1, 26),
        30,
    ),
    (
        ("Pasakų vakaras", "Storytelling evening", "Вечір казок", "Вечер сказок"),
        date(2024, 3, 22),
        30,
    ),
    (
        (
            "Vasario 16-osios šventė",
            "Lithuanian Independence Day",
            "День незалежності Литви",
            "День независимости Литвы",
        ),
        date(2024, 2, 16),
        50,
    ),
    (
        (
            "Dainų konkurso vakaras",
            "Song-contest evening",
            "Вечір пісенного конкурсу",
            "Вечер песенного конкурса",
        ),
        date(2024, 5, 11),
        60,
    ),
    (
        ("Vasaros piknikas", "Summer picnic", "Літній пікнік", "Летний пикник"),
        date(2024, 6, 29),
        80,
    ),
    (
        (
            "Rugsėjo 1-osios šventė vaikams",
            "First day of school party",
            "Свято першого вересня",
            "Праздник первого сентября",
        ),
        date(2024, 9, 1),
        40,
    ),
]


def _texts(texts):
    lt, en, uk, ru = texts
    return {"title_lt": lt, "title_en": en, "title_uk": uk, "title_ru": ru, "title": lt}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), VILNIUS)


def _publish(event, sessions, coordinator):
    if not sessions:
        return None
    services.event_save(event=event, occurrences=sessions, saved_by=coordinator)
    return services.event_publish(event=event, published_by=coordinator)


def _fill(rng, event, coordinator, people, *, share: float):
    """Register demo visitors (as the desk would, on the day before), and check most in."""
    sessions = list(event.occurrences.all())
    scopes = [None] if event.is_cohort else sessions
    for scope in scopes:
        places = (scope.places if scope else event.capacity) or 20
        wanted = max(1, int(places * share * rng.uniform(0.6, 1.2)))
        moment = (scope or sessions[0]).starts_at - timedelta(days=1)
        for person in rng.sample(people, k=min(len(people), wanted)):
            try:
                registration = services.registration_create(
                    event=event,
                    occurrence=scope,
                    visitor=person,
                    household_size=rng.choice([1, 1, 1, 2]),
                    language=person.preferred_language or "lt",
                    join_waitlist=True,
                    created_by=coordinator,
                    now=moment,
                )
            except ValidationError:  # already registered for the whole group: skip them
                continue
            if registration.status != "confirmed":
                continue
            for session in [scope] if scope else sessions:
                if rng.random() < 0.85:
                    services.check_in(
                        registration=registration, occurrence=session, checked_in_by=coordinator
                    )


def demo_events(*, coordinator, start: date, until: date, seed: int = 2025) -> int:
    """Create the first year's events; returns the number of sessions held."""
    rng = random.Random(seed)
    people = list(
        Visitor.objects.filter(merged_into__isnull=True, erased_at__isnull=True).order_by("id")
    )
    if not people:
        return 0
    held = 0
    for texts, category, audience, languages, weekday, hour, every, capacity, volunteer in WEEKLY:
        first = start + timedelta(days=(weekday - start.weekday()) % 7)
        days = [first + timedelta(weeks=every * n) for n in range(60)]
        days = [d for d in days if d < until]
        event = _publish(
            Event(
                **_texts(texts),
                category=category,
                audience=audience,
                languages=languages,
                capacity=capacity,
                volunteer_leader=volunteer,
                leader=None if volunteer else coordinator,
                location="Vilnius",
            ),
            [(_at(d, hour), _at(d, hour) + timedelta(minutes=90)) for d in days],
            coordinator,
        )
        if event is not None:
            _fill(rng, event, coordinator, people, share=0.7)
            held += len(days)
    for quarter in range(4):
        begins = start + timedelta(weeks=2 + 13 * quarter)
        for texts, audience in THERAPEUTIC:
            monday = begins + timedelta(days=(0 - begins.weekday()) % 7)
            days = [
                monday + timedelta(weeks=n) for n in range(8) if monday + timedelta(weeks=n) < until
            ]
            event = _publish(
                Event(
                    **_texts(texts),
                    category=Category.THERAPEUTIC_GROUP,
                    audience=audience,
                    languages="uk,ru",
                    capacity=10,
                    registration_mode=Event.Mode.COHORT,
                    leader=coordinator,
                    location="Vilnius",
                ),
                [(_at(d, 16), _at(d, 17) + timedelta(minutes=30)) for d in days],
                coordinator,
            )
            if event is not None:
                _fill(rng, event, coordinator, people, share=0.8)
                held += len(days)
    for texts, day, capacity in ONE_OFF:
        if not start <= day < until:
            continue
        event = _publish(
            Event(
                **_texts(texts),
                category=Category.EVENT,
                audience=Audience.EVERYONE,
                languages="lt,uk,ru,en",
                capacity=capacity,
                leader=coordinator,
                location="Vilnius",
            ),
            [(_at(day, 17), _at(day, 20))],
            coordinator,
        )
        _fill(rng, event, coordinator, people, share=0.8)
        held += 1
    return held


def demo_coming_events(*, coordinator, today=None) -> int:
    """What is on now, so that a newcomer's "What's on" is not empty: the Wednesday club's
    next eight weeks, a storytelling evening and a teenagers' group starting soon. Returns
    the number of events made (none if they exist already)."""
    today = today or timezone.localdate()
    if (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .filter(occurrences__starts_at__gt=timezone.now())
        .exists()
    ):
        return 0
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    made = [
        (
            WEEKLY[0][0],
            Category.CLUB,
            Audience.ADULTS,
            "lt,uk,ru",
            15,
            Event.Mode.PER_OCCURRENCE,
            [(_at(wednesday + timedelta(weeks=n), 18), 90) for n in range(8)],
            WEEKLY[0][-1],
        ),
        (
            ONE_OFF[1][0],
            Category.EVENT,
            Audience.FAMILIES,
            "lt,uk,ru,en",
            30,
            Event.Mode.PER_OCCURRENCE,
            [(_at(today + timedelta(days=10), 17), 120)],
            "",
        ),
        (
            THERAPEUTIC[0][0],
            Category.THERAPEUTIC_GROUP,
            Audience.TEENAGERS,
            "uk,ru",
            10,
            Event.Mode.COHORT,
            [(_at(today + timedelta(days=14 + 7 * n), 16), 90) for n in range(8)],
            "",
        ),
    ]
    for texts, category, audience, languages, capacity, mode, sessions, volunteer in made:
        _publish(
            Event(
                **_texts(texts),
                category=category,
                audience=audience,
                languages=languages,
                capacity=capacity,
                registration_mode=mode,
                volunteer_leader=volunteer,
                leader=None if volunteer else coordinator,
                location="Vilnius",
            ),
            [(start, start + timedelta(minutes=minutes)) for start, minutes in sessions],
            coordinator,
        )
    return len(made)
