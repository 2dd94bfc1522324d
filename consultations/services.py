"""Every write about consultations: recording one (from the queue, a phone call, a group
session), follow-ups, referrals and break-glass access."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from consultations.models import (
    STARTED_AT_AHEAD,
    BreakGlassGrant,
    Consultation,
    Mode,
    Participant,
    PartnerOrganisation,
    Referral,
    Service,
)
from consultations.selectors import services_served_by
from core.submissions import save_once
from visitors.models import ConsentPurpose, QueueEntry, Visit, Visitor
from visitors.services import consent_in_force, queue_entry_close

BREAK_GLASS_MINUTES = 30
MIN_REASON_LENGTH = 10


def _field_errors(model, name: str, value) -> dict:
    """The messages of a model field's own validators for `value` ({} if it passes), for a
    value checked before the record exists."""
    try:
        model._meta.get_field(name).run_validators(value)
    except ValidationError as error:
        return {name: error.messages}
    return {}


def _participants(*, visitors, visit, queue_entry, anonymous: int, started_at):
    """Participant rows (unsaved) with the facts reports count copied from the person, or
    from the visit for an anonymous walk-in."""
    rows = []
    if queue_entry is not None:
        visit = queue_entry.visit
        visitors = [visit.visitor] if visit.visitor_id else []
        anonymous = 0 if visitors else 1
    for person in visitors:
        if person.merged_into_id or person.erased_at:
            raise ValidationError(_("Only current records can take part in a consultation."))
        if not consent_in_force(visitor=person, purpose=ConsentPurpose.REGISTRATION):
            raise ValidationError(
                _(
                    "%(name)s has not consented to a record (or has withdrawn consent): "
                    "record them as an anonymous participant instead."
                )
                % {"name": person}
            )
        rows.append(
            Participant(
                visitor=person,
                visit=visit if visit is not None and visit.visitor_id == person.pk else None,
                citizenship=person.citizenship,
                gender=person.gender,
                age_band=person.age_band_at(started_at),
            )
        )
    for _number in range(anonymous):
        from_visit = visit if visit is not None and visit.visitor_id is None else None
        rows.append(
            Participant(
                visit=from_visit,
                citizenship=from_visit.citizenship if from_visit else "",
                gender=from_visit.gender if from_visit else "",
                age_band=from_visit.age_band if from_visit else "",
            )
        )
    return rows


@transaction.atomic
def consultation_log(
    *,
    consultant,
    service: Service,
    duration_minutes: int,
    started_at=None,
    mode: str = Mode.IN_PERSON,
    language: str = "",
    interpreter: bool = False,
    topics=(),
    outcome: str = "",
    notes: str = "",
    follow_up_on=None,
    visitors=(),
    visit: Visit | None = None,
    queue_entry: QueueEntry | None = None,
    anonymous: int = 0,
    is_group: bool = False,
    referrals=(),
    submission_key: uuid.UUID | None = None,
    request=None,
) -> Consultation:
    """Record a consultation.

    - From the waiting queue (`queue_entry`): the person and visit come from the entry, which
      is closed as seen.
    - For one registered person (`visitors=[person]`, with their `visit` if any) or an
      anonymous caller (`anonymous=1`).
    - A group session (`is_group=True`): several `visitors` and/or `anonymous` participants.

    The consultant must serve the service; topics must be the service's own. The same
    `submission_key` twice (double click, back button) returns the first record.
    `referrals` is a list of (partner, note).
    """
    referrals, topics = list(referrals), list(topics)
    if submission_key is not None:
        earlier = Consultation.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    started_at = started_at or timezone.now()
    errors = _request_errors(
        consultant=consultant,
        service=service,
        topics=topics,
        started_at=started_at,
        referrals=referrals,
    )
    if queue_entry is not None:
        queue_entry = _queue_entry_locked(queue_entry)
        if queue_entry.service_id != service.pk:
            errors["service"] = _("This person is waiting for another service.")
        if hasattr(queue_entry, "consultation"):
            return queue_entry.consultation
    if errors:
        raise ValidationError(errors)
    participants = _participants_checked(
        visitors=list(visitors),
        visit=visit,
        queue_entry=queue_entry,
        anonymous=anonymous,
        started_at=started_at,
        is_group=is_group,
    )
    consultation = Consultation(
        service=service,
        consultant=consultant,
        started_at=started_at,
        duration_minutes=duration_minutes,
        mode=mode,
        language=language,
        interpreter=interpreter,
        outcome=outcome,
        notes=notes,
        follow_up_on=follow_up_on,
        is_group=is_group,
        queue_entry=queue_entry,
        submission_key=submission_key,
    )
    _validate(consultation)
    consultation, created = save_once(consultation, submission_key)
    if not created:
        return consultation
    _record_details(consultation, topics=topics, participants=participants, referrals=referrals)
    if queue_entry is not None:
        queue_entry_close(
            entry=queue_entry, status=QueueEntry.Status.DONE, closed_by=consultant, request=request
        )
    audit_log(
        actor=consultant,
        request=request,
        action="consultation.create",
        obj=consultation,
        details={"participants": len(participants), "group": is_group},
    )
    return consultation


def _request_errors(*, consultant, service, topics, started_at, referrals) -> dict:
    """What is wrong with the request before anyone is looked at, by field."""
    errors = {}
    if not services_served_by(consultant).filter(pk=service.pk).exists():
        errors["service"] = _("You do not give consultations of this service.")
    if any(topic.service_id != service.pk for topic in topics):
        errors["topics"] = _("Choose topics of the consultation's own service.")
    if started_at > timezone.now() + STARTED_AT_AHEAD:
        errors["started_at"] = _("A consultation cannot start in the future.")
    else:
        # Checked before the participants' age bands are worked out on its day.
        errors.update(_field_errors(Consultation, "started_at", started_at))
    for _partner, note in referrals:
        errors.update(_field_errors(Referral, "note", note))
    return errors


def _queue_entry_locked(queue_entry: QueueEntry) -> QueueEntry:
    """The queue entry, locked: two advisers calling one person make one consultation."""
    return (
        QueueEntry.objects.select_for_update(of=("self",))
        .select_related("visit__visitor")
        .get(pk=queue_entry.pk)
    )


def _participants_checked(*, is_group: bool, **people) -> list[Participant]:
    """The participants (unsaved), refused when there are none, several outside a group,
    or one person twice."""
    participants = _participants(**people)
    if not participants:
        raise ValidationError(_("Add at least one participant."))
    if not is_group and len(participants) > 1:
        raise ValidationError(_("A consultation with several people is a group session."))
    registered = [p.visitor_id for p in participants if p.visitor_id]
    if len(set(registered)) != len(registered):
        raise ValidationError(_("The same person is listed twice."))
    return participants


def _record_details(consultation: Consultation, *, topics, participants, referrals) -> None:
    """A new consultation's topics, participants and referrals, and its people's last
    contact. A new consultation has no topics yet: one INSERT, where .set() would first read
    them."""
    Consultation.topics.through.objects.bulk_create(
        [Consultation.topics.through(consultation=consultation, topic=topic) for topic in topics]
    )
    for participant in participants:
        participant.consultation = consultation
    Participant.objects.bulk_create(participants)
    Referral.objects.bulk_create(
        [
            Referral(consultation=consultation, partner=partner, note=note)
            for partner, note in referrals
        ]
    )
    people = [p.visitor_id for p in participants if p.visitor_id]
    if people:
        Visitor.objects.filter(
            Q(last_contact_at__lt=consultation.started_at) | Q(last_contact_at__isnull=True),
            pk__in=people,
        ).update(last_contact_at=consultation.started_at)


def _validate(consultation: Consultation) -> None:
    """The model's field checks plus the rules between fields, with messages per field."""
    errors = {}
    try:
        # The duration's validators say what its check constraint says (1 to 480 minutes);
        # Django would evaluate the constraint again in the database, a query per record.
        consultation.full_clean(
            exclude=["consultant", "service", "queue_entry", "topics"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if (
        consultation.follow_up_on is not None
        and consultation.started_at is not None
        and consultation.follow_up_on < timezone.localtime(consultation.started_at).date()
    ):
        errors.setdefault("follow_up_on", []).append(
            _("The follow-up date cannot be before the consultation.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def follow_up_done(*, consultation: Consultation, done_by, request=None) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.follow_up_done_at is None:
        consultation.follow_up_done_at = timezone.now()
        consultation.save(update_fields=["follow_up_done_at"])
        audit_log(
            actor=done_by, request=request, action="consultation.follow_up_done", obj=consultation
        )
    return consultation


@transaction.atomic
def follow_up_reschedule(*, consultation: Consultation, on, changed_by, request=None):
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if on < timezone.localdate():
        raise ValidationError({"follow_up_on": _("Choose today or a later date.")})
    consultation.follow_up_on = on
    consultation.follow_up_done_at = None
    _validate(consultation)
    consultation.save(update_fields=["follow_up_on", "follow_up_done_at"])
    audit_log(
        actor=changed_by,
        request=request,
        action="consultation.follow_up_reschedule",
        obj=consultation,
        details={"on": on.isoformat()},
    )
    return consultation


@transaction.atomic
def referral_create(
    *,
    consultation: Consultation,
    partner: PartnerOrganisation,
    note: str = "",
    made_by,
    request=None,
) -> Referral:
    if not partner.is_active:
        raise ValidationError({"partner": _("This organisation is no longer in the directory.")})
    referral = Referral(consultation=consultation, partner=partner, note=note)
    referral.full_clean()
    referral.save()
    audit_log(actor=made_by, request=request, action="referral.create", obj=referral)
    return referral


@transaction.atomic
def referral_status_set(*, referral: Referral, status: str, changed_by, request=None):
    if status not in Referral.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    referral.status = status
    referral.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=changed_by,
        request=request,
        action="referral.status",
        obj=referral,
        details={"status": status},
    )
    return referral


@transaction.atomic
def break_glass_grant(*, user, visitor: Visitor, reason: str, request=None) -> BreakGlassGrant:
    """Give an administrator half an hour's access to one person's consultation records,
    for a stated reason. Audited, and listed on the break-glass report."""
    if not user.has_perm("accounts.administer_centre"):
        raise ValidationError(_("Only an administrator can use break-glass access."))
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": _("Say why you need access, in a sentence.")})
    errors = _field_errors(BreakGlassGrant, "reason", reason)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=user,
        visitor=visitor,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    audit_log(
        actor=user,
        request=request,
        action="consultation.break_glass",
        obj=visitor,
        reason=reason,
        details={"grant": grant.pk, "minutes": BREAK_GLASS_MINUTES},
    )
    return grant


def consultations_erase_personal(*, visitor_ids, mentions=None) -> None:
    """Part of erasing people (visitors.erasure): the free text of their individual
    consultations and referrals goes; the facts reports count (date, service, topics, mode,
    language, the participant's citizenship, gender and age band) stay.

    A group session's notes are about the session and stay, without the words of their names
    and their contacts (`mentions`, a visitors.redaction.Mentions); other people's records
    lose their full names and contacts. The participant row stays, pointing at the erased
    (blank) record."""
    individual = Consultation.objects.filter(
        is_group=False, participants__visitor_id__in=visitor_ids
    )
    Referral.objects.filter(consultation__in=individual).exclude(note="").update(note="")
    Consultation.objects.filter(pk__in=individual.values("pk")).update(outcome="", notes="")
    BreakGlassGrant.objects.filter(visitor_id__in=visitor_ids).update(reason="")
    if not mentions:
        return
    shared = Consultation.objects.filter(
        pk__in=Participant.objects.filter(
            visitor_id__in=visitor_ids, consultation__is_group=True
        ).values("consultation_id")
    )
    mentions.redact_records(shared, ["notes", "outcome"], shared=True)
    mentions.redact_records(Referral.objects.filter(consultation__in=shared), ["note"], shared=True)
    mentions.redact_records(Consultation.objects.all(), ["notes", "outcome"])
    mentions.redact_records(Referral.objects.all(), ["note"])
    mentions.redact_records(BreakGlassGrant.objects.all(), ["reason"])
