"""A year of demo consultations for seed_demo, made through the consultations' services and
consistent with the demo visits: every visit asking for legal, career, psychological help or
information gets its consultation; many people are called back by phone or messenger later;
the legal service runs monthly group information sessions. The shape the centre reported on
its anniversary: more consultations than visits."""

import random
from datetime import datetime, time, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from consultations import services
from consultations.models import Mode, PartnerOrganisation, Service, Topic
from visitors.demo import VILNIUS
from visitors.models import Visit, Visitor

# service code: (minutes low, high, share followed up remotely, share with a follow-up date)
SHAPE = {
    "legal": (30, 75, 0.6, 0.25),
    "career": (30, 60, 0.55, 0.20),
    "psychological": (45, 60, 0.6, 0.30),
    "information": (10, 30, 0.2, 0.0),
}
PARTNERS = [
    (
        "Vilniaus miesto socialinės paramos centras",
        (
            "Socialinė parama ir būstas",
            "Social support and housing",
            "Соціальна підтримка та житло",
            "Социальная поддержка и жильё",
        ),
        "lt, en, ru",
    ),
    (
        "Užimtumo tarnyba",
        (
            "Darbo paieška ir mokymai",
            "Job search and training",
            "Пошук роботи та навчання",
            "Поиск работы и обучение",
        ),
        "lt, en, uk, ru",
    ),
    (
        "Valstybės garantuojamos teisinės pagalbos tarnyba",
        (
            "Nemokama teisinė pagalba teisme",
            "Free legal aid in court",
            "Безоплатна правова допомога в суді",
            "Бесплатная правовая помощь в суде",
        ),
        "lt, en, ru",
    ),
    (
        "Psichikos sveikatos centras",
        (
            "Psichiatro ir psichoterapeuto pagalba",
            "Psychiatric and psychotherapy care",
            "Допомога психіатра та психотерапевта",
            "Помощь психиатра и психотерапевта",
        ),
        "lt, ru",
    ),
    (
        "Migracijos departamentas",
        (
            "Leidimai gyventi ir dokumentai",
            "Residence permits and documents",
            "Посвідки на проживання та документи",
            "Виды на жительство и документы",
        ),
        "lt, en",
    ),
]


def demo_partners() -> list[PartnerOrganisation]:
    partners = []
    for name, (lt, en, uk, ru), languages in PARTNERS:
        partner, _created = PartnerOrganisation.objects.get_or_create(
            name=name,
            defaults={
                "services": lt,
                "services_lt": lt,
                "services_en": en,
                "services_uk": uk,
                "services_ru": ru,
                "contacts": "Vilnius",
                "languages": languages,
            },
        )
        partners.append(partner)
    return partners


def _topics(rng, topics):
    # The first topics of each list are the common ones.
    weights = [len(topics) - i for i in range(len(topics))]
    chosen = {rng.choices(topics, weights=weights)[0] for _ in range(rng.choice([1, 1, 2]))}
    return list(chosen)


def demo_consultations(*, consultants: dict, until, seed: int = 2024) -> int:
    """Consultations for every demo visit asking for one, remote follow-ups, and group
    sessions. `consultants` maps service code to the member of staff giving it. Returns how
    many consultations were recorded."""
    rng = random.Random(seed)
    services_by_code = {s.code: s for s in Service.objects.filter(code__in=SHAPE)}
    topics = {code: list(Topic.objects.filter(service__code=code)) for code in SHAPE}
    partners = demo_partners()
    visits = (
        Visit.objects.filter(purposes__code__in=SHAPE)
        .distinct()
        .select_related("visitor")
        .prefetch_related(Prefetch("purposes", queryset=Service.objects.filter(code__in=SHAPE)))
        .order_by("occurred_at", "id")
    )
    made = 0
    for visit in visits.iterator(chunk_size=500):
        moment = visit.occurred_at
        for service in visit.purposes.all():
            low, high, remote, follow = SHAPE[service.code]
            started = moment + timedelta(minutes=rng.randint(5, 40))
            language = visit.language or (visit.visitor.preferred_language if visit.visitor else "")
            follow_up = None
            if visit.visitor and rng.random() < follow:
                follow_up = timezone.localtime(started).date() + timedelta(days=rng.randint(7, 21))
            consultation = services.consultation_log(
                consultant=consultants[service.code],
                service=service,
                started_at=started,
                duration_minutes=rng.randint(low, high),
                mode=Mode.IN_PERSON,
                language=language,
                interpreter=rng.random() < (0.3 if language in ("", "other") else 0.03),
                topics=_topics(rng, topics[service.code]),
                visitors=[visit.visitor] if visit.visitor else [],
                visit=visit,
                anonymous=0 if visit.visitor else 1,
                follow_up_on=follow_up,
                referrals=[(rng.choice(partners), "")] if rng.random() < 0.08 else [],
            )
            made += 1
            if follow_up is not None and follow_up < until:
                services.follow_up_done(consultation=consultation, done_by=consultation.consultant)
            # Many people are called back (or write) a week or two later.
            later = started + timedelta(days=rng.randint(2, 20), minutes=rng.randint(0, 240))
            if visit.visitor and rng.random() < remote and later.date() < until:
                services.consultation_log(
                    consultant=consultants[service.code],
                    service=service,
                    started_at=later,
                    duration_minutes=rng.randint(10, 30),
                    mode=rng.choice([Mode.PHONE, Mode.PHONE, Mode.MESSENGER, Mode.VIDEO]),
                    language=language,
                    topics=_topics(rng, topics[service.code]),
                    visitors=[visit.visitor],
                )
                made += 1
    made += _group_sessions(rng, consultants, services_by_code, topics, until)
    return made


def _group_sessions(rng, consultants, services_by_code, topics, until) -> int:
    """Monthly information sessions on residence permits and on finding work."""
    people = list(
        Visitor.objects.filter(merged_into__isnull=True, erased_at__isnull=True).order_by("id")
    )
    first = Visit.objects.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    if not people or first is None:
        return 0
    made = 0
    month = timezone.localtime(first).date().replace(day=15)
    if month < timezone.localtime(first).date():
        month = (month + timedelta(days=31)).replace(day=15)
    while month < until:
        for code, topic_code in (("legal", "residence-permit"), ("career", "cv-job-search")):
            started = datetime.combine(month, time(16, 0), VILNIUS)
            services.consultation_log(
                consultant=consultants[code],
                service=services_by_code[code],
                started_at=started,
                duration_minutes=90,
                language=rng.choice(["uk", "ru"]),
                topics=[t for t in topics[code] if t.code == topic_code],
                visitors=rng.sample(people, k=min(len(people), rng.randint(4, 12))),
                anonymous=rng.randint(0, 5),
                is_group=True,
            )
            made += 1
        month = (month + timedelta(days=31)).replace(day=15)
    return made
