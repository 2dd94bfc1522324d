"""Every write about events: publishing, registering (never more people than places),
the waitlist, cancelling, check-in, and the emails these cause."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audit_log
from core.phones import phone_normalise
from events.models import (
    TRANSLATED_FIELDS,
    Attendance,
    Event,
    Message,
    NoticeKind,
    Occurrence,
    Registration,
)
from notifications.models import OutgoingEmail
from notifications.services import email_render_and_enqueue

CANCEL_SALT = "events.registration.cancel"
CONFIRM_SALT = "events.registration.confirm-email"
CONFIRM_MAX_AGE = timedelta(days=2)
REMINDER_AHEAD = timedelta(hours=24)


# --- Emails ----------------------------------------------------------------------------------


def _absolute(view: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return settings.MICENTER_SITE_URL + reverse(view, kwargs=kwargs)


def cancel_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def _recipient(registration: Registration) -> str:
    return registration.email_address


def notice_send(*, registration: Registration, kind: str, key: str = "", context=None) -> bool:
    """Enqueue one email about a registration, in the registrant's language, at most once
    per (registration, kind, key): the outbox's dedupe key makes a retry a no-op. False if
    there is nobody to write to or it went before."""
    recipient = _recipient(registration)
    if not recipient:
        return False
    language = registration.language
    context = context or {}
    # A reminder or a change names its session; otherwise the registration's own, or (for a
    # whole-group enrolment) the group's next one.
    occurrence = (
        context.get("occurrence") or registration.occurrence or _first_upcoming(registration.event)
    )
    email = email_render_and_enqueue(
        recipient=recipient,
        template=f"events/email/{kind}",
        language=language,
        dedupe_key=f"registration:{registration.pk}:{kind}:{key}",
        context={
            "registration": registration,
            "event": registration.event,
            "occurrence": occurrence,
            "position": waitlist_position(registration),
            "cancel_url": _absolute("events:cancel", language, token=cancel_token(registration)),
            "confirm_url": _absolute(
                "events:confirm_email",
                language,
                token=signing.dumps(registration.pk, salt=CONFIRM_SALT),
            ),
            "event_url": _absolute("events:detail", language, pk=registration.event_id),
            **context,
        },
    )
    return email is not None


def _first_upcoming(event: Event):
    return event.occurrences.filter(is_cancelled=False, starts_at__gte=timezone.now()).first()


# --- Places ----------------------------------------------------------------------------------


def _scope(registration_or_event, occurrence=None) -> Q:
    """The registrations that share places with this one: the same occurrence, or the whole
    cohort of an enrolment event."""
    if occurrence is not None:
        return Q(occurrence=occurrence)
    return Q(event=registration_or_event, occurrence__isnull=True)


def places_taken(*, event: Event, occurrence: Occurrence | None) -> int:
    taken = Registration.objects.filter(
        _scope(event, occurrence), status=Registration.Status.CONFIRMED
    ).aggregate(total=Sum("household_size"))["total"]
    return taken or 0


def places_left(*, event: Event, occurrence: Occurrence | None) -> int | None:
    """Free places, or None when there is no limit."""
    capacity = occurrence.places if occurrence is not None else event.capacity
    if capacity is None:
        return None
    return max(0, capacity - places_taken(event=event, occurrence=occurrence))


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        _scope(registration.event, registration.occurrence),
        status=Registration.Status.WAITLISTED,
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def waiting_reason(registration: Registration) -> dict | None:
    """Why a household is on the waitlist, as things stand: the session is full ("full"),
    fewer places are left than it needs ("too_few", with `left`), or others were waiting
    first ("others_first"). None if it is not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    left = places_left(event=registration.event, occurrence=registration.occurrence)
    if left == 0:
        return {"code": "full"}
    if left is not None and left < registration.household_size:
        return {"code": "too_few", "left": left}
    return {"code": "others_first"}


def _lock(event: Event, occurrence: Occurrence | None = None):
    """Lock the event's row, then the session's, and return them as the database holds them.

    Every decision about an event's places, whether it is open and whether it or a session is
    cancelled is taken under these locks, on the rows they return: the caller's instances may
    be stale. The event's row is always taken first, by registrations, the waitlist, capacity
    changes and cancellations alike, so no two writers ever wait for each other in opposite
    orders, and a cancellation or a capacity cut waits for a registration in progress (and the
    other way round)."""
    locked_event = Event.objects.select_for_update().get(pk=event.pk)
    if occurrence is None:
        return locked_event, None
    locked = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    locked.event = locked_event
    return locked_event, locked


def _check_open(event: Event, occurrence: Occurrence | None, now) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event has been cancelled."), code="cancelled")
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This event is not open for registration."), code="closed")
    if event.is_cohort:
        if occurrence is not None:
            raise ValidationError(_("This group is joined as a whole, not session by session."))
        first = event.occurrences.filter(is_cancelled=False).first()
        if first is None or first.starts_at <= now:
            raise ValidationError(
                _("This group has already started; ask the centre whether you can still join."),
                code="past",
            )
    else:
        if occurrence is None or occurrence.event_id != event.pk:
            raise ValidationError(_("Choose a session."), code="session")
        if occurrence.is_cancelled:
            raise ValidationError(_("This session has been cancelled."), code="cancelled")
        if occurrence.starts_at <= now:
            raise ValidationError(_("This session has already taken place."), code="past")
    if not event.registration_open(now):
        if event.registration_opens_at and now < event.registration_opens_at:
            raise ValidationError(
                _("Registration opens on %(date)s.")
                % {
                    "date": formats.date_format(
                        timezone.localtime(event.registration_opens_at), "DATETIME_FORMAT"
                    )
                },
                code="not_yet",
            )
        raise ValidationError(_("Registration for this event has closed."), code="closed")


def _duplicate(event, occurrence, *, user, visitor, email, phone="") -> bool:
    """Whether this person is registered here already: by account, record, email or phone
    (normalised; checked under the event's lock, so two at once cannot both pass)."""
    mine = Q()
    if phone:
        mine |= Q(phone=phone)
    if user is not None:
        mine |= Q(user=user)
    if visitor is not None:
        mine |= Q(visitor=visitor)
    if email:
        mine |= Q(email__iexact=email)
    if not mine:
        return False
    return (
        Registration.objects.filter(_scope(event, occurrence), status__in=Registration.ACTIVE)
        .filter(mine)
        .exists()
    )


def places_and_waiting(*, event: Event, occurrence: Occurrence | None) -> tuple[int | None, bool]:
    """Free places (None: no limit) and whether anyone waits, in one query."""
    counts = Registration.objects.filter(
        _scope(event, occurrence),
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
    ).aggregate(
        taken=Sum("household_size", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    capacity = occurrence.places if occurrence is not None else event.capacity
    left = None if capacity is None else max(0, capacity - (counts["taken"] or 0))
    return left, bool(counts["waiting"])


def _allocate(registration: Registration, *, join_waitlist: bool) -> None:
    """Under the lock: a confirmed place if the household fits and nobody is waiting (places
    free while people wait are held for the first of them), else the waitlist (if the person
    agreed to it), else a clear refusal that says why."""
    event, occurrence = registration.event, registration.occurrence
    left, someone_waiting = places_and_waiting(event=event, occurrence=occurrence)
    fits = left is None or registration.household_size <= left
    waiting = not fits or someone_waiting
    if fits and not waiting:
        registration.status = Registration.Status.CONFIRMED
    elif join_waitlist:
        registration.status = Registration.Status.WAITLISTED
    elif fits or left == 0:
        raise ValidationError(
            _("Others are already waiting for a place here. You can join the waitlist after them.")
            if fits
            else _("There are no places left. You can join the waitlist."),
            code="full",
        )
    else:
        raise ValidationError(
            ngettext(
                "Only %(left)s place is left, and you asked for %(asked)s. "
                "You can join the waitlist instead.",
                "Only %(left)s places are left, and you asked for %(asked)s. "
                "You can join the waitlist instead.",
                left,
            )
            % {"left": left, "asked": registration.household_size},
            code="full",
        )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    occurrence: Occurrence | None = None,
    household_size: int = 1,
    user=None,
    visitor=None,
    name: str = "",
    email: str = "",
    phone: str = "",
    language: str | None = None,
    join_waitlist: bool = False,
    confirm_email: bool = False,
    created_by=None,
    request=None,
    now=None,
) -> Registration:
    """Register a household for one occurrence, or for a whole cohort.

    The person is a signed-in visitor (`user`), a registered person (`visitor`, e.g. a
    walk-in the coordinator registers), or a guest (`name` with `email` or `phone`).
    `confirm_email`: a guest who gave an email confirms it by a link before taking a place.
    Places are counted under a row lock: never more confirmed than places. `now` records a
    registration as of an earlier moment (bringing in the centre's paper lists).
    """
    now = now or timezone.now()
    registration = _registration_checked(
        Registration(
            event=event,
            occurrence=occurrence,
            household_size=household_size,
            user=user,
            visitor=visitor,
            name=name.strip(),
            email=email.strip().lower() if user is None else "",
            phone=phone,
            language=language or (user.language if user is not None else settings.LANGUAGE_CODE),
            status=Registration.Status.AWAITING_EMAIL,
            created_by=created_by,
        )
    )
    # Everything from here is decided on the rows locked, never on the caller's instances.
    event, occurrence = _lock(event, occurrence)
    registration.event, registration.occurrence = event, occurrence
    _check_open(event, occurrence, now)
    _expired_confirmations_free(event, occurrence, now)
    if _duplicate(
        event,
        occurrence,
        user=user,
        visitor=visitor,
        email=registration.email,
        phone=registration.phone,
    ):
        raise ValidationError(_("You are already registered for this."), code="duplicate")
    if confirm_email and registration.email:
        _save(registration)
        notice_send(registration=registration, kind=NoticeKind.CONFIRM_EMAIL)
        return registration
    _allocate(registration, join_waitlist=join_waitlist)
    _save(registration)
    _notify_status(registration)
    audit_log(
        actor=created_by or user,
        request=request,
        action="registration.create",
        obj=registration,
        details={"status": registration.status},
    )
    return registration


def _registration_checked(registration: Registration) -> Registration:
    """The new registration's own fields checked, before any lock: the phone in one form
    ("+370 600 00002" and "8 600 00002" before anything is compared), a name with a way to
    reach a guest, the session one of the event's."""
    try:
        registration.phone = phone_normalise(registration.phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.error_list}) from None
    guest = registration.user is None and registration.visitor is None
    if guest and not (registration.name and (registration.email or registration.phone)):
        raise ValidationError(_("Give a name and an email address or a phone number."))
    # The people are instances the caller holds; the database checks the references (asking
    # it first would be a query for each).
    registration.full_clean(
        exclude=["status", "event", "occurrence", "user", "visitor", "created_by"],
        validate_constraints=False,
    )
    occurrence = registration.occurrence
    if occurrence is not None and occurrence.event_id != registration.event.pk:
        raise ValidationError(_("Choose a session."), code="session")
    return registration


def _expired_confirmations_free(event: Event, occurrence: Occurrence | None, now) -> None:
    """An email never confirmed holds nothing once its link has expired."""
    Registration.objects.filter(
        status=Registration.Status.AWAITING_EMAIL, created_at__lt=now - CONFIRM_MAX_AGE
    ).filter(_scope(event, occurrence)).update(
        status=Registration.Status.CANCELLED, cancelled_at=now
    )


def _save(registration: Registration) -> None:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # The same person registered at the same moment in another request.
        raise ValidationError(_("You are already registered for this."), code="duplicate") from None


def _notify_status(registration: Registration) -> None:
    kind = {
        Registration.Status.CONFIRMED: NoticeKind.CONFIRMATION,
        Registration.Status.WAITLISTED: NoticeKind.WAITLISTED,
    }.get(registration.status)
    if kind:
        notice_send(registration=registration, kind=kind)


@transaction.atomic
def registration_email_confirm(*, token: str) -> Registration:
    """A guest clicked the link in their email: now they take a place (or join the
    waitlist, as they would have at the desk)."""
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This link has expired. Please register again."), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid."), code="invalid") from None
    registration = Registration.objects.select_related("event", "occurrence").get(pk=pk)
    if registration.status != Registration.Status.AWAITING_EMAIL:
        return registration
    event, occurrence = _lock(registration.event, registration.occurrence)
    registration = Registration.objects.select_for_update().get(pk=pk)
    if registration.status != Registration.Status.AWAITING_EMAIL:
        return registration
    registration.event, registration.occurrence = event, occurrence
    _check_open(event, occurrence, timezone.now())
    _allocate(registration, join_waitlist=True)
    registration.save(update_fields=["status"])
    _notify_status(registration)
    audit_log(action="registration.email_confirmed", obj=registration)
    return registration


def has_begun(registration: Registration) -> bool:
    """Whether the session (or, for a whole-group enrolment, the group) has started."""
    if registration.occurrence_id:
        starts = registration.occurrence.starts_at
    else:
        first = registration.event.occurrences.filter(is_cancelled=False).first()
        starts = first.starts_at if first else None
    return starts is not None and starts <= timezone.now()


def registration_from_cancel_token(token: str) -> Registration:
    """The registration a cancellation link is for; expired once the event has begun."""
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid."), code="invalid") from None
    registration = Registration.objects.select_related("event", "occurrence").filter(pk=pk).first()
    if registration is None:
        raise ValidationError(_("This link is not valid."), code="invalid")
    if has_begun(registration):
        raise ValidationError(
            _("This link has expired: the event has already begun."), code="expired"
        )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, cancelled_by=None, request=None):
    """Cancel (or decline a place one was moved up to); the freed places go to the waitlist
    in order, and each person moved up is told."""
    event, occurrence = _lock(registration.event, registration.occurrence)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event, registration.occurrence = event, occurrence
    if not registration.is_active:
        return registration, []
    if has_begun(registration):
        # Attendance and the figures of a session held are history; nobody moves up into it.
        raise ValidationError(
            _("This has already begun, so the registration can no longer be cancelled."),
            code="begun",
        )
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    audit_log(actor=cancelled_by, request=request, action="registration.cancel", obj=registration)
    promoted = _promote(event, occurrence) if was_confirmed else []
    return registration, promoted


# Places too few for the first household waiting are held for it until this long before the
# session (or a group's first session); only then are they offered to the next that fits.
HOLD_FOR_FIRST_UNTIL = timedelta(days=1)


def _holds_for_first(event: Event, occurrence: Occurrence | None, now) -> bool:
    if occurrence is not None:
        start = occurrence.starts_at
    else:
        first = _first_upcoming(event)
        start = first.starts_at if first else now
    return now < start - HOLD_FOR_FIRST_UNTIL


def _promote(event: Event, occurrence: Occurrence | None, now=None) -> list[Registration]:
    """Move people up from the waitlist strictly in order while their household fits the
    free places. Places too few for the first household waiting are held for it (unless it
    is larger than the session); from the day before the session they go to the next
    household that fits.
    `event` and `occurrence` are the rows _lock returned: nobody moves up into a cancelled
    event or session, and places are counted against the capacity as it is now."""
    if event.status != Event.Status.PUBLISHED or (
        occurrence is not None and occurrence.is_cancelled
    ):
        return []
    now = now or timezone.now()
    left = places_left(event=event, occurrence=occurrence)
    capacity = occurrence.places if occurrence is not None else event.capacity
    promoted = []
    waiting = (
        Registration.objects.select_for_update()
        .filter(_scope(event, occurrence), status=Registration.Status.WAITLISTED)
        .order_by("created_at", "id")
    )
    for candidate in waiting:
        if left is not None and left <= 0:
            break
        if left is not None and candidate.household_size > left:
            # Held for this household while it could still fit, not for one larger than
            # the session itself.
            if candidate.household_size <= capacity and _holds_for_first(event, occurrence, now):
                break
            continue
        candidate.status = Registration.Status.CONFIRMED
        candidate.promoted_at = now
        candidate.save(update_fields=["status", "promoted_at"])
        notice_send(registration=candidate, kind=NoticeKind.PROMOTED)
        audit_log(action="registration.promote", obj=candidate)
        promoted.append(candidate)
        if left is not None:
            left -= candidate.household_size
    return promoted


def waitlists_release(*, now=None) -> int:
    """From the day before a session (or a group's first session), places held for a
    household that needs more go to the next households waiting that fit. Run hourly (beat);
    each session in its own transaction, under its lock. Returns how many moved up."""
    now = now or timezone.now()
    soon = Occurrence.objects.filter(
        is_cancelled=False,
        event__status=Event.Status.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + HOLD_FOR_FIRST_UNTIL,
        event__registrations__status=Registration.Status.WAITLISTED,
    ).select_related("event")
    moved = 0
    for session in soon.distinct():
        scope = None if session.event.is_cohort else session
        if scope is None and _first_upcoming(session.event) != session:
            continue  # a group is released before its first session only
        with transaction.atomic():
            moved += len(_promote(*_lock(session.event, scope), now=now))
    return moved


# --- Events ----------------------------------------------------------------------------------


@transaction.atomic
def event_save(*, event: Event, occurrences=(), saved_by, request=None) -> Event:
    """Create or change an event and (for a new one) its sessions: a list of (start, end)."""
    created = event.pk is None
    if created:
        event.created_by = saved_by
    else:
        before, _none = _lock(event)
        # Publishing and cancelling have services of their own: an edit made on a form opened
        # before the event was cancelled must not bring it back.
        event.status = before.status
        active = Registration.objects.filter(event=event, status__in=Registration.ACTIVE)
        if before.registration_mode != event.registration_mode and active.exists():
            raise ValidationError(
                {
                    "registration_mode": _(
                        "People are registered already: the kind of registration cannot change now."
                    )
                }
            )
    event.full_clean()
    event.save()
    if not created:
        # More places (or none any more): the waitlist moves up now, not at the next
        # cancellation.
        scopes = (
            [None]
            if event.is_cohort
            else list(event.occurrences.filter(is_cancelled=False, starts_at__gt=timezone.now()))
        )
        for scope in scopes:
            _promote(*_lock(event, scope))
    for starts_at, ends_at in occurrences:
        occurrence = Occurrence(event=event, starts_at=starts_at, ends_at=ends_at)
        occurrence.full_clean()
        occurrence.save()
    audit_log(
        actor=saved_by,
        request=request,
        action="event.create" if created else "event.change",
        obj=event,
    )
    return event


def weekly_sessions(*, first_start, duration: timedelta, count: int):
    """(start, end) of `count` weekly sessions from `first_start` (local wall-clock time is
    kept across daylight-saving changes)."""
    wall_clock = timezone.localtime(first_start).replace(tzinfo=None)
    sessions = []
    for week in range(count):
        start = timezone.make_aware(wall_clock + timedelta(weeks=week))
        sessions.append((start, start + duration))
    return sessions


@transaction.atomic
def event_publish(*, event: Event, published_by, request=None) -> Event:
    if not event.occurrences.exists():
        raise ValidationError(_("Add at least one session before publishing."))
    event.status = Event.Status.PUBLISHED
    # Calendars: from now on a cancellation is shown in the feeds, not left out.
    event.published_at = event.published_at or timezone.now()
    event.save(update_fields=["status", "published_at"])
    audit_log(actor=published_by, request=request, action="event.publish", obj=event)
    return event


@transaction.atomic
def event_duplicate(*, event: Event, shift: timedelta, duplicated_by, request=None) -> Event:
    """A draft copy of an event with its sessions moved by `shift` (e.g. next quarter's
    therapeutic group): texts in every language, no registrations."""
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.status = Event.Status.DRAFT
    copy.published_at = None  # calendars: a new event, not yet published
    copy.created_by = duplicated_by
    for name in ("registration_opens_at", "registration_closes_at"):
        if getattr(copy, name):
            setattr(copy, name, getattr(copy, name) + shift)
    copy.save()
    Occurrence.objects.bulk_create(
        [
            Occurrence(
                event=copy,
                starts_at=o.starts_at + shift,
                ends_at=o.ends_at + shift,
                capacity=o.capacity,
            )
            for o in event.occurrences.filter(is_cancelled=False)
        ]
    )
    audit_log(
        actor=duplicated_by,
        request=request,
        action="event.duplicate",
        obj=copy,
        details={"from": event.pk},
    )
    return copy


def _active_registrations(event: Event, occurrence: Occurrence | None = None):
    registrations = Registration.objects.filter(
        event=event, status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    ).select_related("event", "occurrence", "user", "visitor")
    if occurrence is not None:
        registrations = registrations.filter(Q(occurrence=occurrence) | Q(occurrence__isnull=True))
    return registrations


def _cancel_by_centre(registrations, *, notice_key: str, occurrence=None) -> int:
    """Cancel these registrations on the centre's behalf and tell each registrant (the emails
    leave once the transaction commits). Returns how many could be written to."""
    registrations = list(registrations.select_for_update(of=("self",)))
    now = timezone.now()
    told = 0
    for registration in registrations:
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.cancelled_by_centre = True
        registration.save(update_fields=["status", "cancelled_at", "cancelled_by_centre"])
        told += notice_send(
            registration=registration,
            kind=NoticeKind.CANCELLED,
            key=notice_key,
            context={"occurrence": occurrence} if occurrence is not None else None,
        )
    return told


@transaction.atomic
def event_cancel(*, event: Event, cancelled_by, request=None) -> int:
    """The centre cancels an event: every registration still awaiting, confirmed or waiting is
    cancelled, and everyone registered is told, in their language. Taken under the event's
    lock, so a registration in progress either finishes first (and is then cancelled and told)
    or is refused."""
    event, _none = _lock(event)
    if event.status == Event.Status.CANCELLED:
        return 0
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    # Calendars: every session still on is now shown cancelled, as a newer version.
    event.occurrences.filter(is_cancelled=False).update(sequence=F("sequence") + 1)
    active = Registration.objects.filter(event=event, status__in=Registration.ACTIVE)
    told = _cancel_by_centre(
        active.select_related("event", "occurrence", "user", "visitor"), notice_key="event"
    )
    audit_log(actor=cancelled_by, request=request, action="event.cancel", obj=event)
    return told


@transaction.atomic
def occurrence_change(
    *, occurrence: Occurrence, starts_at=None, ends_at=None, cancel=False, changed_by, request=None
) -> int:
    """Move or cancel one session, under the event's lock. Cancelled: the registrations for
    that session are cancelled and their people told; moved: the people registered for it
    (and a whole group's members) are told of the new time."""
    _event, occurrence = _lock(occurrence.event, occurrence)
    if cancel:
        occurrence.is_cancelled = True
    if starts_at is not None:
        length = occurrence.ends_at - occurrence.starts_at
        occurrence.starts_at = starts_at
        occurrence.ends_at = ends_at or starts_at + length
    occurrence.sequence += 1  # calendars replace their copy with this version
    occurrence.full_clean()
    occurrence.save()
    change = audit_log(
        actor=changed_by,
        request=request,
        action="occurrence.cancel" if cancel else "occurrence.change",
        obj=occurrence,
    )
    key = f"{occurrence.pk}:{change.pk}"
    if cancel:
        own = Registration.objects.filter(occurrence=occurrence, status__in=Registration.ACTIVE)
        told = _cancel_by_centre(
            own.select_related("event", "occurrence", "user", "visitor"),
            notice_key=key,
            occurrence=occurrence,
        )
        # A whole group's members keep their place in the group and are told of this session.
        members = _active_registrations(occurrence.event).filter(occurrence__isnull=True)
    else:
        told = 0
        members = _active_registrations(occurrence.event, occurrence)
    for registration in members:
        told += notice_send(
            registration=registration,
            kind=NoticeKind.CANCELLED if cancel else NoticeKind.CHANGED,
            key=key,
            context={"occurrence": occurrence},
        )
    return told


@transaction.atomic
def message_send(*, event: Event, subject: str, body: str, sent_by, request=None) -> int:
    """A message from the coordinator to everyone registered (confirmed or waiting)."""
    message = Message(event=event, subject=subject.strip(), body=body.strip(), sent_by=sent_by)
    message.full_clean()
    message.save()
    told = 0
    for registration in _active_registrations(event):
        told += notice_send(
            registration=registration,
            kind=NoticeKind.MESSAGE,
            key=str(message.pk),
            context={"message": message},
        )
    audit_log(
        actor=sent_by,
        request=request,
        action="event.message",
        obj=event,
        details={"recipients": told},
    )
    return told


def reminders_send(*, now=None) -> int:
    """Remind everyone confirmed for a session starting in the next 24 hours. Safe to run
    as often as one likes: each reminder goes once (per registration and session)."""
    now = now or timezone.now()
    soon = Occurrence.objects.filter(
        is_cancelled=False,
        event__status=Event.Status.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_AHEAD,
    ).select_related("event")
    sent = 0
    for occurrence in soon:
        registrations = Registration.objects.filter(
            Q(occurrence=occurrence) | Q(event=occurrence.event, occurrence__isnull=True),
            status=Registration.Status.CONFIRMED,
        ).select_related("event", "occurrence", "user", "visitor")
        for registration in registrations:
            with transaction.atomic():
                sent += notice_send(
                    registration=registration,
                    kind=NoticeKind.REMINDER,
                    key=str(occurrence.pk),
                    context={"occurrence": occurrence},
                )
    return sent


@transaction.atomic
def registration_told(*, registration: Registration, told_by, request=None) -> Registration:
    """Staff phoned a registrant who has no email about the centre's cancellation."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not (registration.cancelled_by_centre and registration.told_at is None):
        return registration
    registration.told_at = timezone.now()
    registration.told_by = told_by
    registration.save(update_fields=["told_at", "told_by"])
    audit_log(actor=told_by, request=request, action="registration.told", obj=registration)
    return registration


# --- At the door -----------------------------------------------------------------------------


@transaction.atomic
def check_in(*, registration: Registration, occurrence: Occurrence, checked_in_by, request=None):
    """Mark someone present at one session (a second tap changes nothing)."""
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only people with a confirmed place can be checked in."))
    if occurrence.event_id != registration.event_id or (
        registration.occurrence_id and registration.occurrence_id != occurrence.pk
    ):
        raise ValidationError(_("This registration is for another session."))
    attendance, created = Attendance.objects.get_or_create(
        registration=registration,
        occurrence=occurrence,
        defaults={"checked_in_by": checked_in_by},
    )
    if created:
        audit_log(actor=checked_in_by, request=request, action="event.check_in", obj=attendance)
    return attendance


@transaction.atomic
def check_in_undo(*, registration: Registration, occurrence: Occurrence, by, request=None):
    deleted, _rows = Attendance.objects.filter(
        registration=registration, occurrence=occurrence
    ).delete()
    if deleted:
        audit_log(actor=by, request=request, action="event.check_in_undo", obj=registration)
    return deleted


def registrations_erase_personal(*, visitor_ids, user_ids=(), emails=(), mentions=None) -> None:
    """Part of erasing people (visitors.erasure): names and contacts on their registrations
    go; the registration, its places and attendance stay for the counts.

    With `mentions` (a visitors.redaction.Mentions): a guest registration with their phone
    number is theirs too; the contacts found on their registrations are added to `mentions`;
    the messages to the events they registered for (and the emails that carried them) lose
    every word of their names, other messages, registrations and the events' own texts their
    full names and contacts."""
    mine = Q(visitor_id__in=visitor_ids) | Q(user_id__in=list(user_ids))
    for address in emails:
        mine |= Q(email__iexact=address)
    if mentions and mentions.phones:
        by_phone = Registration.objects.filter(mentions.lookup("phone")).values_list("pk", "phone")
        mine |= Q(pk__in=[pk for pk, phone in by_phone if mentions.has_phone(phone)])
    if mentions:
        # Not the names typed there ("Olena and two kids"): their words are not all names.
        for phone, email in Registration.objects.filter(mine).values_list("phone", "email"):
            mentions.add(phones=[phone], emails=[email])
    events = set(Registration.objects.filter(mine).values_list("event_id", flat=True))
    Registration.objects.filter(mine).update(name="", email="", phone="")
    if not mentions:
        return
    shared = Message.objects.filter(event__in=events)
    mentions.redact_records(shared, ["subject", "body"], shared=True)
    copies = Q(pk__in=[])
    for message in shared.values_list("pk", flat=True):
        copies |= Q(
            dedupe_key__startswith="registration:", dedupe_key__endswith=f":message:{message}"
        )
    mentions.redact_records(
        OutgoingEmail.objects.filter(copies), ["subject", "body_text", "body_html"], shared=True
    )
    mentions.redact_records(Message.objects.all(), ["subject", "body"])
    mentions.redact_records(Registration.objects.exclude(name=""), ["name"])
    texts = [f"{name}_{code}" for name in TRANSLATED_FIELDS for code, _label in settings.LANGUAGES]
    # Not rewritten by modeltranslation: each language's column, and the untranslated one.
    mentions.redact_records(
        Event.objects.rewrite(False), ["volunteer_leader", *TRANSLATED_FIELDS, *texts]
    )
