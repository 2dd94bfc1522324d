"""Who may read which consultation, and how much of it: decided here and nowhere else.

Every page, list, search, visitor timeline, export and admin page that shows consultations
goes through `consultation_records` (or `consultation_for_reading` for one record), which
  - limits the rows to those the reader may know of (`consultations_visible_to`),
  - gives each row only the fields the reader may see (`Access`), and
  - writes one audit entry per record read.

The rules (psychological help is health data):
  - consultants read full records of the services they serve; of other services, only that
    a consultation took place (date, service), like the front desk;
  - the front desk sees that a consultation took place and nothing more (and reads in full
    the information consultations it gives itself);
  - managers and event coordinators see no record (reports show counts);
  - administrators see no record, except one person's, for a short time, through break-glass
    access given for a stated reason;
  - a visitor sees their own consultations' date, service and consultant's name.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum

from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from accounts.roles import ROLE_SERVICES, Role
from audit.models import AuditEntry
from audit.services import audit_log_reads
from consultations.models import (
    BreakGlassGrant,
    Consultation,
    Participant,
    PartnerOrganisation,
    Referral,
    Service,
    Topic,
)
from visitors.models import Visitor
from visitors.selectors import day_bounds

RECENT_DAYS = 14
# The roles that learn that a consultation took place (on a person's page).
OCCURRENCE_ROLES = {
    Role.RECEPTION,
    Role.LEGAL_ADVISER,
    Role.CAREER_ADVISER,
    Role.PSYCHOLOGIST,
}


class Access(IntEnum):
    NONE = 0
    OCCURRED = 1  # that it took place: date and service
    OWN = 2  # the person's own record: also the consultant's name
    FULL = 3  # every field


def services_served_by(user) -> QuerySet[Service]:
    """The consultation services whose queue this member of staff calls people from, and
    whose records they write and read in full."""
    codes = {code for role in user.role_codes for code in ROLE_SERVICES.get(role, [])}
    return Service.objects.filter(code__in=codes, gives_consultations=True, is_active=True)


@dataclass(frozen=True)
class Reader:
    """What decides one user's access, worked out once per request."""

    user: object
    served: frozenset = frozenset()  # service ids read in full
    glass: frozenset = frozenset()  # visitor ids under a current break-glass grant
    own: frozenset = frozenset()  # visitor records of the reader's own account
    sees_occurrence: bool = False  # staff who may know that a consultation took place


def reader_for(user, *, served=None) -> Reader:
    """`served`: the user's services_served_by, when the caller has read them already."""
    if not user.is_authenticated:
        return Reader(user=user)
    if user.is_centre_staff:
        glass = BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())
        served_ids = (
            [service.pk for service in served]
            if served is not None
            else services_served_by(user).values_list("id", flat=True)
        )
        return Reader(
            user=user,
            served=frozenset(served_ids),
            glass=frozenset(glass.values_list("visitor_id", flat=True)),
            # From the roles, not has_perm: a superuser has every permission, and an
            # administrator who is one must still see no consultation without break-glass.
            sees_occurrence=any(role in OCCURRENCE_ROLES for role in user.role_codes),
        )
    own = Visitor.objects.filter(user=user, erased_at__isnull=True)
    return Reader(user=user, own=frozenset(own.values_list("id", flat=True)))


def _with_participant_in(visitor_ids) -> Exists:
    return Exists(
        Participant.objects.filter(consultation=OuterRef("pk"), visitor_id__in=visitor_ids)
    )


def consultations_visible_to(user, *, reader: Reader | None = None) -> QuerySet[Consultation]:
    """The rows this user may know of at all (see `Access` for how much of each)."""
    reader = reader or reader_for(user)
    if reader.sees_occurrence:
        return Consultation.objects.all()
    visitor_ids = reader.glass | reader.own
    if not visitor_ids:
        return Consultation.objects.none()
    return Consultation.objects.filter(_with_participant_in(visitor_ids))


def consultations_readable_in_full(user, *, reader: Reader | None = None):
    """Rows this user may read in full: their services' records, and break-glass ones."""
    reader = reader or reader_for(user)
    condition = Q(service_id__in=reader.served)
    if reader.glass:
        condition |= _with_participant_in(reader.glass)
    if not reader.served and not reader.glass:
        return Consultation.objects.none()
    return consultations_visible_to(user, reader=reader).filter(condition)


def access_to(reader: Reader, consultation: Consultation) -> Access:
    """How much of one (prefetched) consultation the reader may see."""
    visitors = {p.visitor_id for p in consultation.participants.all()}
    if consultation.service_id in reader.served or visitors & reader.glass:
        return Access.FULL
    if reader.sees_occurrence:
        return Access.OCCURRED
    if visitors & reader.own:
        return Access.OWN
    return Access.NONE


@dataclass(frozen=True)
class ConsultationRecord:
    """What one reader may see of one consultation. Only a full reader gets the row itself
    (`consultation`); templates and exports never see more than these fields."""

    pk: int
    access: Access
    started_at: datetime
    service: Service
    is_group: bool
    consultant: str = ""
    consultation: Consultation | None = field(default=None, repr=False)

    @property
    def is_full(self) -> bool:
        return self.access == Access.FULL


def _prefetched(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return queryset.select_related("service", "consultant").prefetch_related(
        "topics",
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("visitor").order_by("id"),
        ),
        Prefetch("referrals", queryset=_referrals()),
    )


def _listed(queryset: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """For lists of records: what deciding access and the records table need (topics, the
    participants' names), not each record's referrals or the people's whole records."""
    return queryset.select_related("service", "consultant").prefetch_related(
        "topics",
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("visitor")
            .only(
                "consultation_id",
                "visitor__given_name",
                "visitor__family_name",
                "visitor__erased_at",
            )
            .order_by("id"),
        ),
    )


def _referrals():
    return Referral.objects.select_related("partner").order_by("created_at", "id")


def consultation_records(
    *, user, consultations, request=None, reader: Reader | None = None, audit: bool = True
) -> list[ConsultationRecord]:
    """Records as this user may see them, from rows already scoped by
    `consultations_visible_to` (rows they may not see are dropped). Each record read is
    audited (unless the caller audits them, with `records_read_audit`, together with others).
    A constant number of queries, whatever the number of rows."""
    reader = reader or reader_for(user)
    records = []
    for consultation in consultations:
        access = access_to(reader, consultation)
        if access == Access.NONE:
            continue
        consultant = ""
        if access >= Access.OWN:
            consultant = consultation.consultant.get_full_name() or gettext("consultant")
        records.append(
            ConsultationRecord(
                pk=consultation.pk,
                access=access,
                started_at=consultation.started_at,
                service=consultation.service,
                is_group=consultation.is_group,
                consultant=consultant,
                consultation=consultation if access == Access.FULL else None,
            )
        )
    if audit:
        records_read_audit(user=user, records=records, request=request)
    return records


def records_read_audit(*, user, records, request=None) -> None:
    """One audit entry per record read, all in one query."""
    if records:
        audit_log_reads(
            request=request,
            actor=user,
            action="consultation.read",
            object_type="consultations.consultation",
            object_ids=[record.pk for record in records],
        )


def consultations_of_visitor(*, user, visitor, reader: Reader | None = None):
    """The visitor's consultations this user may know of, newest first (for the timeline:
    what `consultation_records` needs and the records table shows, nothing more)."""
    reader = reader or reader_for(user)
    rows = consultations_visible_to(user, reader=reader).filter(_with_participant_in([visitor.pk]))
    return (
        rows.select_related("service", "consultant")
        .prefetch_related(
            "topics",
            Prefetch(
                "participants",
                queryset=Participant.objects.only("id", "consultation_id", "visitor_id"),
            ),
        )
        .order_by("-started_at", "-id")
    )


def consultations_of_account(*, user):
    """A visitor's own consultations, for their account page (staff accounts have none)."""
    if not user.is_authenticated or user.is_centre_staff:
        return Consultation.objects.none()
    return _prefetched(consultations_visible_to(user)).order_by("-started_at", "-id")


def consultation_for_reading(*, user, pk: int, request=None) -> Consultation:
    """One record to read in full; Consultation.DoesNotExist (404) for anyone else. The
    read is audited."""
    reader = reader_for(user)
    consultation = _prefetched(consultations_readable_in_full(user, reader=reader)).get(pk=pk)
    consultation_records(user=user, consultations=[consultation], request=request, reader=reader)
    return consultation


def consultations_list(
    *, user, service=None, date_from=None, date_to=None, visitor_ids=None
) -> QuerySet[Consultation]:
    """The records a consultant reads in full, filtered, newest first (paginate, then pass
    the page to `consultation_records`)."""
    rows = consultations_readable_in_full(user)
    if service is not None:
        rows = rows.filter(service=service)
    if date_from:
        rows = rows.filter(started_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(started_at__date__lte=date_to)
    if visitor_ids is not None:
        rows = rows.filter(_with_participant_in(list(visitor_ids)))
    return _prefetched(rows).order_by("-started_at", "-id")


@dataclass
class Worklist:
    queues: list  # the services whose queue the consultant calls from
    today: list
    follow_ups: list
    follow_ups_due: int
    recent_visitors: list


FOLLOW_UPS_SHOWN = 20


def worklist_of(*, user, request=None) -> Worklist:
    """A consultant's day: today's consultations, follow-ups due or overdue, and the people
    they saw in the last two weeks."""
    today = timezone.localdate()
    served = list(services_served_by(user))
    reader = reader_for(user, served=served)
    own = consultations_readable_in_full(user, reader=reader).filter(consultant=user)
    start, end = day_bounds(today)
    todays = _listed(own.filter(started_at__gte=start, started_at__lt=end)).order_by("started_at")
    due = own.filter(follow_up_on__isnull=False, follow_up_done_at__isnull=True).filter(
        follow_up_on__lte=today
    )
    # The most overdue first; the rest once these are done (the count says how many wait).
    due_first = _listed(due).order_by("follow_up_on", "id")[:FOLLOW_UPS_SHOWN]
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    recent = (
        Visitor.objects.filter(
            merged_into__isnull=True,
            erased_at__isnull=True,
            consultation_participations__consultation__in=own.filter(started_at__gte=since),
        )
        .distinct()
        .only("given_name", "family_name", "erased_at")
        .order_by("family_name", "given_name", "id")[:30]
    )
    todays = consultation_records(user=user, consultations=todays, reader=reader, audit=False)
    follow_ups = consultation_records(
        user=user, consultations=due_first, reader=reader, audit=False
    )
    records_read_audit(user=user, records=[*todays, *follow_ups], request=request)
    return Worklist(
        queues=served,
        today=todays,
        follow_ups=follow_ups,
        follow_ups_due=due.count(),
        recent_visitors=list(recent),
    )


def topics_of(services) -> QuerySet[Topic]:
    return Topic.objects.filter(service__in=services, is_active=True).select_related("service")


def partners_active() -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.filter(is_active=True)


def break_glass_report():
    """Every break-glass grant with how many of that person's records were read under it
    (the audit report)."""
    records = Participant.objects.filter(visitor_id=OuterRef(OuterRef("visitor_id"))).values(
        record_id=Cast("consultation_id", CharField())
    )
    reads = (
        AuditEntry.objects.filter(
            actor=OuterRef("user"),
            action="consultation.read",
            object_type="consultations.consultation",
            at__gte=OuterRef("granted_at"),
            at__lte=OuterRef("expires_at"),
            object_id__in=Subquery(records),
        )
        .order_by()
        .values("actor")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        BreakGlassGrant.objects.select_related("user")
        .annotate(reads=Coalesce(Subquery(reads), 0))
        .order_by("-granted_at", "-id")
    )
