"""Every non-trivial read about visitors, already limited to what the reader may see."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from visitors import search_keys
from visitors.models import Consent, QueueEntry, Visit, Visitor, VisitorSearchKey

SEARCH_LIMIT = 25


def visitors_visible_to(user) -> QuerySet[Visitor]:
    """Current records the user may see: front desk and advisers; nobody else."""
    if not user.is_authenticated or not user.has_perm("visitors.view_visitor"):
        return Visitor.objects.none()
    return Visitor.objects.filter(merged_into__isnull=True, erased_at__isnull=True)


def visitors_search(*, user, query: str, limit: int = SEARCH_LIMIT) -> list[Visitor]:
    """People matching what the desk typed: any script, no accents needed, one typo allowed
    per word; or a phone number (any part of 5+ digits) or an email address."""
    visitors = visitors_visible_to(user)
    query = " ".join(query.split())[:100]
    if not query:
        return []
    digits = search_keys.phone_digits(query)
    if "@" in query:
        matches = visitors.filter(email__iexact=query)
        ranked = matches.order_by("family_name", "given_name", "id")
    elif len(digits) >= 5 and len(digits) >= len(query.replace(" ", "").lstrip("+")) - 1:
        ranked = visitors.filter(phone_digits__contains=digits).order_by("family_name", "id")
    else:
        condition = Q()
        all_keys = set()
        for word in query.split():
            keys = search_keys.readings(word)
            if not keys:
                continue
            all_keys |= keys
            variants = set(keys)
            for key in keys:
                variants |= search_keys.deletions(key)
            word_match = Q(
                pk__in=VisitorSearchKey.objects.filter(key__in=variants).values("visitor")
            )
            for key in keys:
                if len(key) >= 3:
                    # Part of a name ("Shev"): a trigram index serves this on PostgreSQL.
                    word_match |= Q(search_text__contains=key)
            condition &= word_match
        if not all_keys:
            return []
        exact = VisitorSearchKey.objects.filter(
            visitor=OuterRef("pk"), exact=True, key__in=all_keys
        )
        ranked = (
            visitors.filter(condition)
            .annotate(exact_hit=Exists(exact))
            .order_by("-exact_hit", "family_name", "given_name", "id")
        )
    return list(ranked.select_related("legal_status")[:limit])


def visitor_for_staff(*, user, pk: int) -> Visitor:
    """One visitor's record for a member of staff; DoesNotExist (404) if they may not see it."""
    return visitors_visible_to(user).select_related("legal_status", "created_by").get(pk=pk)


def visits_of_visitor(*, visitor: Visitor) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(visitor=visitor)
        .select_related("logged_by")
        .prefetch_related("purposes")
        .order_by("-occurred_at", "-id")
    )


def visits_today(*, user) -> QuerySet[Visit]:
    """Today's visits (Vilnius time) for the desk, newest first."""
    if not user.has_perm("visitors.view_visit"):
        return Visit.objects.none()
    today = timezone.localdate()
    return (
        Visit.objects.filter(occurred_at__date=today)
        .select_related("visitor", "logged_by")
        .prefetch_related("purposes")
        .order_by("-occurred_at", "-id")
    )


def queue_open(*, user, service=None) -> QuerySet[QueueEntry]:
    """People waiting or called in, longest-waiting first, for one service or all."""
    if not user.has_perm("visitors.view_queueentry"):
        return QueueEntry.objects.none()
    entries = QueueEntry.objects.filter(
        status__in=[QueueEntry.Status.WAITING, QueueEntry.Status.CALLED],
        joined_at__date=timezone.localdate(),
    )
    if service is not None:
        entries = entries.filter(service=service)
    return entries.select_related("service", "visit__visitor", "called_by").prefetch_related(
        Prefetch("visit__purposes")
    )


def consents_of_visitor(*, visitor: Visitor):
    return Consent.objects.filter(visitor=visitor).select_related("text", "recorded_by")
