"""Demo visitors and a year of visits for seed_demo, made through the desk's services.

Citizenships are weighted as the centre sees them: Ukraine first, then Belarus, Central Asia,
the Middle East and others. Names are written as people give them: Cyrillic or Latin.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from consultations.models import Service
from visitors import services
from visitors.models import AgeBand, Gender, LegalStatus, Visitor

VILNIUS = ZoneInfo("Europe/Vilnius")

# (country, weight, given names, family names)
PEOPLE = [
    (
        "UA",
        58,
        [
            "Олена",
            "Тетяна",
            "Наталія",
            "Ірина",
            "Оксана",
            "Андрій",
            "Олександр",
            "Сергій",
            "Марія",
            "Юлія",
            "Olena",
            "Iryna",
            "Mykola",
            "Dmytro",
            "Anastasiia",
            "Viktoriia",
        ],
        [
            "Шевченко",
            "Коваленко",
            "Бондаренко",
            "Ткаченко",
            "Кравченко",
            "Мельник",
            "Олійник",
            "Shevchuk",
            "Kovalchuk",
            "Boiko",
            "Moroz",
            "Lysenko",
            "Savchenko",
            "Rudenko",
        ],
    ),
    (
        "BY",
        14,
        ["Алена", "Святлана", "Андрэй", "Павел", "Volha", "Aliaksandr", "Katsiaryna", "Siarhei"],
        ["Казлоў", "Новік", "Шаўчук", "Kavaliou", "Marozau", "Lukashevich", "Karpovich"],
    ),
    (
        "UZ",
        5,
        ["Dilshod", "Aziz", "Gulnora", "Sherzod", "Nodira"],
        ["Karimov", "Rakhimov", "Yusupova", "Tursunov", "Abdullaev"],
    ),
    ("TJ", 4, ["Farrukh", "Rustam", "Zarina", "Firuza"], ["Nazarov", "Sharipov", "Rahimova"]),
    ("KG", 3, ["Aibek", "Nurlan", "Aigerim"], ["Osmonov", "Toktogulov", "Sadykova"]),
    ("KZ", 3, ["Askar", "Dana", "Yerlan"], ["Nurpeisov", "Akhmetova", "Zhaksybekov"]),
    ("RU", 3, ["Алексей", "Екатерина", "Дмитрий"], ["Иванов", "Смирнова", "Кузнецов"]),
    ("SY", 2, ["Ahmad", "Lina", "Omar"], ["Al-Hassan", "Haddad", "Khalil"]),
    ("IQ", 2, ["Ali", "Zainab", "Hussein"], ["Al-Jabouri", "Kareem", "Salman"]),
    ("AF", 2, ["Ahmad", "Fatima", "Mohammad"], ["Ahmadi", "Rahimi", "Hakimi"]),
    ("GE", 1, ["Giorgi", "Nino"], ["Beridze", "Kapanadze"]),
    ("IN", 1, ["Rahul", "Priya"], ["Sharma", "Patel"]),
    ("TR", 1, ["Emre", "Ayşe"], ["Yılmaz", "Kaya"]),
    ("NG", 1, ["Chinedu", "Ngozi"], ["Okafor", "Eze"]),
]

# How often each service is what people come for (a visit may have several).
PURPOSE_WEIGHTS = {
    "legal": 40,
    "career": 18,
    "psychological": 14,
    "information": 30,
    "lessons": 16,
    "events": 12,
}
LANGUAGE_BY_COUNTRY = {"UA": ["uk", "uk", "ru"], "BY": ["ru", "ru", "lt"], "RU": ["ru"]}


def _weighted(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def _person(rng, statuses):
    country, _weight, given, family = _weighted(rng, PEOPLE, [p[1] for p in PEOPLE])
    birth_year = rng.choice(
        [rng.randint(1940, 1962), *[rng.randint(1963, 2007)] * 5, rng.randint(2008, 2020)]
    )
    first = rng.choice(given)
    # A name is written in one script: Latin given names go with Latin family names.
    same_script = [name for name in family if name.isascii() == first.isascii()] or family
    return {
        "given_name": first,
        "family_name": rng.choice(same_script),
        "citizenship": country,
        "birth_year": birth_year if rng.random() < 0.8 else None,
        "gender": rng.choices(
            [Gender.FEMALE, Gender.MALE, Gender.UNDISCLOSED, ""], weights=[58, 36, 3, 3]
        )[0],
        "preferred_language": rng.choice(LANGUAGE_BY_COUNTRY.get(country, ["en", "ru", "lt"])),
        "legal_status": rng.choices(statuses, weights=[55, 25, 6, 2, 6, 6][: len(statuses)])[0]
        if statuses
        else None,
        # Nobody arrives before they were born (a child born here after the family came).
        "arrival_year": max(rng.choice([2022, 2022, 2023, 2023, 2024, 2021, 2019]), birth_year),
        "household_size": rng.choices([1, 2, 3, 4, 5], weights=[35, 25, 22, 12, 6])[0],
        "phone": f"+3706{rng.randint(1000000, 9999999)}" if rng.random() < 0.7 else "",
    }


def demo_year(
    *,
    logged_by,
    start: date,
    days: int = 366,
    visits: int = 6300,
    people: int = 2600,
    walk_in_share: float = 0.12,
    seed: int = 2023,
) -> int:
    """Register `people` visitors and log `visits` visits spread over working days from
    `start`. Returns the number of visits logged."""
    rng = random.Random(seed)
    statuses = list(LegalStatus.objects.order_by("position"))
    purposes = {s.code: s for s in Service.objects.filter(code__in=PURPOSE_WEIGHTS)}
    codes = list(PURPOSE_WEIGHTS)
    weights = [PURPOSE_WEIGHTS[c] for c in codes]
    workdays = [
        start + timedelta(days=n) for n in range(days) if (start + timedelta(days=n)).weekday() < 5
    ]
    registered: list[Visitor] = []
    logged = 0
    for number in range(visits):
        day = workdays[min(len(workdays) - 1, int(len(workdays) * number / visits))]
        moment = datetime.combine(day, time(9, 0), VILNIUS) + timedelta(
            minutes=rng.randint(0, 8 * 60 + 30)
        )
        chosen = {_weighted(rng, codes, weights) for _ in range(rng.choice([1, 1, 1, 2]))}
        wanted = [purposes[c] for c in chosen if c in purposes]
        if rng.random() < walk_in_share:
            services.walk_in_log(
                logged_by=logged_by,
                purposes=wanted,
                submission_key=uuid.uuid4(),
                citizenship=_weighted(rng, [p[0] for p in PEOPLE], [p[1] for p in PEOPLE]),
                gender=rng.choice([Gender.FEMALE, Gender.MALE, ""]),
                age_band=rng.choice([b.value for b in AgeBand] + [""]),
                occurred_at=moment,
            )
        else:
            # New people keep arriving all year; about half of visits are returns.
            if not registered or (len(registered) < people and rng.random() < 0.45):
                registered.append(
                    services.visitor_create(
                        created_by=logged_by,
                        consent_method="paper",
                        contact_consent=rng.random() < 0.6,
                        **_person(rng, statuses),
                    )
                )
            person = rng.choice(registered)
            services.visit_log(
                visitor=person,
                purposes=wanted,
                logged_by=logged_by,
                occurred_at=moment,
                language=person.preferred_language,
            )
        logged += 1
    return logged
