"""Every write about visitors and visits. Each call is one transaction and one audit entry."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from consultations.models import Service
from core.submissions import save_once
from visitors import search_keys
from visitors.models import (
    VISIT_AHEAD,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    ConsentText,
    QueueEntry,
    Visit,
    Visitor,
    VisitorSearchKey,
)

# Fields a visitor record can be created or edited with.
VISITOR_FIELDS = [
    "given_name",
    "family_name",
    "other_names",
    "birth_year",
    "birth_date",
    "gender",
    "citizenship",
    "preferred_language",
    "legal_status",
    "arrival_year",
    "phone",
    "email",
    "household_size",
]

# A visit logged this long after it happened is "back-dated" and says so in the audit log.
BACKDATE_TOLERANCE = timedelta(minutes=15)
# The audit log's action for a search at the desk (erasure finds the ones that listed a person).
SEARCH_ACTION = "visitor.search"


def search_audit(
    *, request, query: str, found: list[Visitor], total: int | None = None, purpose: str = "desk"
) -> None:
    """Write a search at the desk to the audit log, as reads of records are: who, when, what
    was typed, how many people it listed and which (so that erasing one of them redacts it)."""
    audit_log(
        request=request,
        action=SEARCH_ACTION,
        details={
            "query": query,
            "results": len(found) if total is None else total,
            "shown": len(found),
            "listed": ",{},".format(",".join(str(visitor.pk) for visitor in found)),
            "purpose": purpose,
        },
    )


def _validate_visitor(visitor: Visitor) -> None:
    """The model's validators (years, household size) plus: a name and a citizenship, and a
    date of birth fixes the year of birth.

    Together these say what the model's check constraints say, with a message on the field;
    Django would evaluate each constraint again in the database (three queries apiece)."""
    if visitor.birth_date:
        visitor.birth_year = visitor.birth_date.year
    if not (visitor.given_name.strip() or visitor.family_name.strip()):
        raise ValidationError({"given_name": _("Enter at least a given name or a family name.")})
    if not visitor.citizenship:
        raise ValidationError(
            {"citizenship": _("Enter a name (given or family) and the citizenship.")}
        )
    visitor.full_clean(
        exclude=["legal_status", "user", "created_by", "merged_into"], validate_constraints=False
    )


def _search_text(visitor: Visitor) -> set[str]:
    """Set the visitor's search fields from their names and phone (saved with the record);
    returns the readings of the names (both transliterations) for `_search_keys`."""
    names = " ".join([visitor.given_name, visitor.family_name, visitor.other_names])
    words = search_keys.readings(names)
    visitor.search_text = " ".join(sorted(words))
    visitor.phone_digits = search_keys.phone_digits(visitor.phone)
    return words


def _search_keys(visitor: Visitor, words: set[str], *, new: bool = False) -> None:
    """Write the saved visitor's search keys (replacing the old ones unless `new`)."""
    if not new:
        VisitorSearchKey.objects.filter(visitor=visitor).delete()
    length = VisitorSearchKey._meta.get_field("key").max_length
    rows = {}
    typed = search_keys.literals(
        " ".join([visitor.given_name, visitor.family_name, visitor.other_names])
    )
    for key, exact in search_keys.index_rows(words, visitor.phone_digits, typed).items():
        # Keys of a very long word that agree as far as the column holds are one row.
        rows[key[:length]] = rows.get(key[:length], False) or exact
    VisitorSearchKey.objects.bulk_create(
        [VisitorSearchKey(visitor=visitor, key=key, exact=exact) for key, exact in rows.items()]
    )


@transaction.atomic
def visitor_create(
    *, created_by, consent_method: str, contact_consent: bool = False, request=None, **fields
) -> Visitor:
    """Register a person who consented to a record (`consent_method`: how they agreed).

    Raises ValidationError (per field, translated) on bad input.
    """
    unknown = set(fields) - set(VISITOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown visitor fields: {sorted(unknown)}")
    if consent_method not in ConsentMethod.values:
        raise ValidationError(
            {"consent_registration": _("A person is registered only with their consent.")}
        )
    visitor = Visitor(created_by=created_by, last_contact_at=timezone.now(), **fields)
    _validate_visitor(visitor)
    words = _search_text(visitor)
    visitor.save()
    _search_keys(visitor, words, new=True)
    audit_log(actor=created_by, request=request, action="visitor.create", obj=visitor)
    consent_give(
        visitor=visitor,
        purpose=ConsentPurpose.REGISTRATION,
        method=consent_method,
        recorded_by=created_by,
        request=request,
    )
    if contact_consent:
        consent_give(
            visitor=visitor,
            purpose=ConsentPurpose.CONTACT,
            method=consent_method,
            recorded_by=created_by,
            request=request,
        )
    return visitor


def consent_in_force(*, visitor: Visitor, purpose: str) -> bool:
    """Whether the person has given consent for `purpose` and not withdrawn it."""
    return Consent.objects.filter(
        visitor=visitor, purpose=purpose, withdrawn_at__isnull=True
    ).exists()


@transaction.atomic
def consent_give(
    *, visitor: Visitor, purpose: str, method: str, recorded_by=None, request=None
) -> Consent:
    """Record consent to the current wording for `purpose`."""
    text = ConsentText.objects.filter(purpose=purpose).order_by("-version").first()
    if text is None:
        raise ValidationError(_("There is no consent text for this purpose yet."))
    consent = Consent(
        visitor=visitor,
        text=text,
        purpose=purpose,
        method=method,
        given_at=timezone.now(),
        recorded_by=recorded_by,
    )
    # A new consent is not withdrawn: its one check constraint holds without asking.
    consent.full_clean(exclude=["visitor", "text", "recorded_by"], validate_constraints=False)
    consent.save()
    audit_log(
        actor=recorded_by,
        request=request,
        action="consent.give",
        obj=consent,
        details={"visitor": visitor.pk, "purpose": purpose, "version": text.version},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, visitor: Visitor, purpose: str, withdrawn_by=None, request=None) -> int:
    """Withdraw every consent in force for `purpose`; returns how many were."""
    now = timezone.now()
    count = Consent.objects.filter(
        visitor=visitor, purpose=purpose, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    if count:
        audit_log(
            actor=withdrawn_by,
            request=request,
            action="consent.withdraw",
            obj=visitor,
            details={"purpose": purpose},
        )
    return count


@transaction.atomic
def visitor_update(*, visitor: Visitor, changed_by, request=None, **fields) -> Visitor:
    unknown = set(fields) - set(VISITOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown visitor fields: {sorted(unknown)}")
    changed = sorted(name for name, value in fields.items() if getattr(visitor, name) != value)
    for name, value in fields.items():
        setattr(visitor, name, value)
    _validate_visitor(visitor)
    words = _search_text(visitor)
    visitor.save()
    _search_keys(visitor, words)
    # The audit entry names the fields, never their values (they are personal data).
    audit_log(
        actor=changed_by,
        request=request,
        action="visitor.update",
        obj=visitor,
        details={"fields": changed},
    )
    return visitor


def _check_time(occurred_at) -> None:
    """A visit's time is checked first: the age band is worked out on its day."""
    if occurred_at > timezone.now() + VISIT_AHEAD:
        raise ValidationError({"occurred_at": _("A visit cannot be in the future.")})
    try:
        Visit._meta.get_field("occurred_at").run_validators(occurred_at)
    except ValidationError as error:
        raise ValidationError({"occurred_at": error.messages}) from None


def _visit_save(visit: Visit, *, purposes, submission_key, logged_by, request) -> Visit:
    """Save a visit once per form submission, join the queues it asks for, audit it."""
    now = timezone.now()
    if submission_key is not None:
        earlier = Visit.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    visit.submission_key = submission_key
    visit.logged_by = logged_by
    # Uniqueness of the submission key is left to the database: a check here could pass for
    # two simultaneous submissions; the unique constraint below cannot.
    visit.full_clean(exclude=["visitor", "logged_by", "purposes"], validate_unique=False)
    visit, created = save_once(visit, submission_key)
    if not created:
        return visit
    services = list(purposes)
    # A new visit has no purposes yet: one INSERT, where .set() would first read them.
    Visit.purposes.through.objects.bulk_create(
        [Visit.purposes.through(visit=visit, service=service) for service in services]
    )
    backdated = now - visit.occurred_at > BACKDATE_TOLERANCE
    if not backdated:
        # Someone logged after the fact is not standing at the desk: no queue for them.
        QueueEntry.objects.bulk_create(
            [
                QueueEntry(visit=visit, service=service, joined_at=now)
                for service in services
                if service.gives_consultations
            ]
        )
    audit_log(
        actor=logged_by,
        request=request,
        action="visit.log",
        obj=visit,
        details={"backdated": backdated, "anonymous": visit.visitor_id is None},
    )
    return visit


@transaction.atomic
def visit_log(
    *,
    visitor: Visitor,
    purposes,
    logged_by,
    language: str = "",
    note: str = "",
    occurred_at=None,
    submission_key: uuid.UUID | None = None,
    request=None,
) -> Visit:
    """Log a registered person's visit (now, or at a past time, which is audited).

    The same `submission_key` twice (double click, back button) returns the first visit.
    """
    if not consent_in_force(visitor=visitor, purpose=ConsentPurpose.REGISTRATION):
        raise ValidationError(
            _(
                "This person has not consented to a record (or has withdrawn consent). "
                "Log the visit as an anonymous walk-in instead."
            )
        )
    occurred_at = occurred_at or timezone.now()
    _check_time(occurred_at)
    visit = Visit(
        visitor=visitor,
        occurred_at=occurred_at,
        language=language,
        note=note,
        citizenship=visitor.citizenship,
        gender=visitor.gender,
        age_band=visitor.age_band_at(occurred_at),
    )
    visit = _visit_save(
        visit,
        purposes=purposes,
        submission_key=submission_key,
        logged_by=logged_by,
        request=request,
    )
    Visitor.objects.filter(pk=visitor.pk, last_contact_at__lt=visit.occurred_at).update(
        last_contact_at=visit.occurred_at
    )
    return visit


@transaction.atomic
def walk_in_log(
    *,
    logged_by,
    purposes=(),
    citizenship: str = "",
    gender: str = "",
    age_band: str = "",
    language: str = "",
    occurred_at=None,
    submission_key: uuid.UUID | None = None,
    request=None,
) -> Visit:
    """Log an anonymous walk-in: counted in every report, linked to nobody."""
    occurred_at = occurred_at or timezone.now()
    _check_time(occurred_at)
    visit = Visit(
        visitor=None,
        occurred_at=occurred_at,
        language=language,
        citizenship=citizenship,
        gender=gender,
        age_band=age_band,
    )
    return _visit_save(
        visit,
        purposes=purposes,
        submission_key=submission_key,
        logged_by=logged_by,
        request=request,
    )


def consultation_services():
    return Service.objects.filter(is_active=True, gives_consultations=True)


@transaction.atomic
def queue_call_next(*, service: Service, called_by, request=None) -> QueueEntry | None:
    """Call the person who has waited longest for `service`; None if nobody waits.

    Two advisers pressing "call next" together get two different people (row lock).
    """
    entry = (
        QueueEntry.objects.select_for_update(skip_locked=True)
        .filter(service=service, status=QueueEntry.Status.WAITING)
        .order_by("joined_at", "id")
        .first()
    )
    if entry is None:
        return None
    entry.status = QueueEntry.Status.CALLED
    entry.called_at = timezone.now()
    entry.called_by = called_by
    entry.save(update_fields=["status", "called_at", "called_by"])
    audit_log(actor=called_by, request=request, action="queue.call", obj=entry)
    return entry


@transaction.atomic
def queue_entry_close(*, entry: QueueEntry, status: str, closed_by, request=None) -> QueueEntry:
    """Mark a queue entry seen (a consultation followed) or left (the person went away)."""
    if status not in (QueueEntry.Status.DONE, QueueEntry.Status.LEFT):
        raise ValidationError(_("A queue entry can only be closed as seen or left."))
    entry = QueueEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status in (QueueEntry.Status.DONE, QueueEntry.Status.LEFT):
        return entry
    entry.status = status
    entry.closed_at = timezone.now()
    entry.save(update_fields=["status", "closed_at"])
    audit_log(actor=closed_by, request=request, action=f"queue.{status}", obj=entry)
    return entry


def _references_to(visitor: Visitor):
    """Every (model, field) that points at a visitor, in any app: visits, consents and, as
    later apps add them, consultations and registrations. Merging moves them all."""
    for relation in Visitor._meta.related_objects:
        if relation.one_to_many and relation.related_model not in (Visitor, VisitorSearchKey):
            yield relation.related_model, relation.field.name


@transaction.atomic
def visitors_merge(*, survivor: Visitor, duplicate: Visitor, merged_by, request=None) -> Visitor:
    """Fold a duplicate record into the surviving one: everything that points at the duplicate
    moves over, empty details are filled in, its names become other spellings. The duplicate
    stays as a pointer to the survivor, so nothing is lost and old links still resolve."""
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    locked = {
        v.pk: v
        for v in Visitor.objects.select_for_update()
        .filter(pk__in=[survivor.pk, duplicate.pk])
        .order_by("pk")
    }
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    for record in (survivor, duplicate):
        if record.merged_into_id or record.erased_at:
            raise ValidationError(_("Only current records can be merged."))
    if survivor.user_id and duplicate.user_id:
        raise ValidationError(_("Both records have their own account; they cannot be merged."))
    moved = {}
    for model, field in _references_to(duplicate):
        moved[model._meta.label_lower] = model.objects.filter(**{field: duplicate}).update(
            **{field: survivor}
        )
    for name in VISITOR_FIELDS:
        if name in ("given_name", "family_name", "other_names"):
            continue
        if getattr(survivor, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            setattr(survivor, name, getattr(duplicate, name))
    spellings = [
        survivor.other_names,
        f"{duplicate.given_name} {duplicate.family_name}".strip(),
        duplicate.other_names,
    ]
    survivor.other_names = "\n".join(dict.fromkeys(s for s in spellings if s.strip()))
    if duplicate.user_id:
        survivor.user_id, duplicate.user_id = duplicate.user_id, None
    survivor.last_contact_at = max(
        filter(None, [survivor.last_contact_at, duplicate.last_contact_at]), default=None
    )
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "user"])
    words = _search_text(survivor)
    survivor.save()
    _search_keys(survivor, words)
    VisitorSearchKey.objects.filter(visitor=duplicate).delete()
    audit_log(
        actor=merged_by,
        request=request,
        action="visitor.merge",
        obj=survivor,
        details={"merged": duplicate.pk, "moved": moved},
    )
    return survivor


@transaction.atomic
def visitor_account_link(*, visitor: Visitor, email: str, linked_by, request=None) -> Visitor:
    """Link a person's record to the account they made themselves (so they can see their
    data and register for events). Staff accounts and already-linked ones are refused."""
    from accounts.models import User

    email = email.strip()
    account = None
    # A NUL byte (which PostgreSQL refuses in a query) or a length no address has: no account.
    if "\x00" not in email and len(email) <= User._meta.get_field("email").max_length:
        account = User.objects.filter(email__iexact=email).first()
    if account is None or account.is_centre_staff or account.is_staff:
        raise ValidationError({"email": _("There is no visitor account with this address.")})
    if Visitor.objects.filter(user=account).exclude(pk=visitor.pk).exists():
        raise ValidationError({"email": _("This account is already linked to another record.")})
    visitor.user = account
    visitor.save(update_fields=["user"])
    audit_log(actor=linked_by, request=request, action="visitor.link_account", obj=visitor)
    return visitor
