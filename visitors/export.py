"""A person's data, as they have the right to get it (GDPR Art. 15 and 20)."""

from datetime import date, datetime

from django.utils import formats, timezone

from consultations.selectors import consultation_records, consultations_of_visitor
from visitors.models import (
    SERVICE_LANGUAGES,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Visit,
    Visitor,
)
from visitors.services import VISITOR_FIELDS


def visitor_export(*, visitor: Visitor, reader, request=None) -> dict:
    """Everything the centre keeps about this person, in plain structures (JSON-ready).

    Consultations appear as the person sees them (date, service, consultant), and never
    more than the `reader` may see: services' internal notes are not part of it.
    """
    return {
        "exported_at": timezone.now().isoformat(),
        "record_number": visitor.pk,
        "details": _details(visitor),
        "visits": _visits(visitor),
        "consultations": _consultations(visitor, reader=reader, request=request),
        "consents": _consents(visitor),
    }


def _details(visitor: Visitor) -> dict:
    return {
        "given_name": visitor.given_name,
        "family_name": visitor.family_name,
        "other_spellings": [s for s in visitor.other_names.splitlines() if s.strip()],
        "year_of_birth": visitor.birth_year,
        "date_of_birth": visitor.birth_date.isoformat() if visitor.birth_date else None,
        "gender": visitor.gender,
        "citizenship": str(visitor.citizenship),
        "preferred_language": visitor.preferred_language,
        "legal_status": str(visitor.legal_status) if visitor.legal_status else None,
        "year_of_arrival": visitor.arrival_year,
        "phone": visitor.phone,
        "email": visitor.email,
        "household_size": visitor.household_size,
        "registered_at": visitor.created_at.isoformat(),
    }


def _visits(visitor: Visitor) -> list[dict]:
    visits = (
        Visit.objects.filter(visitor=visitor)
        .prefetch_related("purposes")
        .order_by("occurred_at", "id")
    )
    return [
        {
            "time": visit.occurred_at.isoformat(),
            "came_for": [service.name for service in visit.purposes.all()],
            "language": visit.language,
            "note": visit.note,
        }
        for visit in visits
    ]


def _consultations(visitor: Visitor, *, reader, request) -> list[dict]:
    """As the person sees them, and never more than the reader may see."""
    records = consultation_records(
        user=reader,
        consultations=consultations_of_visitor(user=reader, visitor=visitor),
        request=request,
    )
    return [
        {
            "date": timezone.localtime(record.started_at).date().isoformat(),
            "service": str(record.service),
            "consultant": record.consultant,
            "group_session": record.is_group,
        }
        for record in records
    ]


def _consents(visitor: Visitor) -> list[dict]:
    consents = Consent.objects.filter(visitor=visitor).select_related("text").order_by("given_at")
    return [
        {
            "purpose": consent.purpose,
            "text_version": consent.text.version,
            "text": consent.text.text,
            "given_at": consent.given_at.isoformat(),
            "how": consent.method,
            "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
        }
        for consent in consents
    ]


READABLE_FIELDS = [*VISITOR_FIELDS, "created_at"]


def readable_details(*, visitor: Visitor) -> list[tuple[str, str]]:
    """The person's details as (label, value) in the reader's language, for the page."""
    rows = []
    for name in READABLE_FIELDS:
        field = Visitor._meta.get_field(name)
        if field.choices:
            value = getattr(visitor, f"get_{name}_display")()
        elif name == "citizenship":
            value = visitor.citizenship.name
        else:
            value = getattr(visitor, name)
        if isinstance(value, datetime):
            value = formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        elif isinstance(value, date):
            value = formats.date_format(value)
        rows.append((str(field.verbose_name).capitalize(), "" if value is None else str(value)))
    return rows


def readable_export(data: dict) -> dict:
    """The export (`visitor_export`) as a page shows it: times and dates as values the page
    writes in the reader's language, and codes (languages, consent purposes and ways) as
    words; the JSON file keeps the ISO forms and codes."""
    languages = dict(SERVICE_LANGUAGES)
    purposes, methods = dict(ConsentPurpose.choices), dict(ConsentMethod.choices)

    def moment(text):
        return datetime.fromisoformat(text) if text else None

    return {
        **data,
        "visits": [
            {
                **visit,
                "time": moment(visit["time"]),
                "language": languages.get(visit["language"], visit["language"]),
            }
            for visit in data["visits"]
        ],
        "consultations": [
            {**record, "date": date.fromisoformat(record["date"])}
            for record in data["consultations"]
        ],
        "consents": [
            {
                **consent,
                "purpose": purposes.get(consent["purpose"], consent["purpose"]),
                "how": methods.get(consent["how"], consent["how"]),
                "given_at": moment(consent["given_at"]),
                "withdrawn_at": moment(consent["withdrawn_at"]),
            }
            for consent in data["consents"]
        ],
    }
