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
        if len(digits) >= search_keys.PHONE_KEY_DIGITS:
            # The last digits identify a number whatever prefix (+370, 8, 00370) was typed.
            keys = VisitorSearchKey.objects.filter(key=search_keys.phone_key(digits))
            matches = visitors.filter(pk__in=keys.values("visitor"))
        else:
            matches = visitors.filter(phone_digits__contains=digits)
        ranked = matches.order_by("family_name", "id")
    else:
        all_keys = set()
        matches = []
        for word in query.split():
            keys = search_keys.readings(word)
            if not keys:
                continue
            all_keys |= keys
            variants = set(keys)
            for key in keys:
                variants |= search_keys.deletions(key)
            # A word matches by index lookups on the key table only: its spellings, their
            # one-typo variants and, for the start of a name ("Shev"), a prefix range.
            found = Q(key__in=variants)
            for key in keys:
                if len(key) >= 3:
                    found |= Q(exact=True, key__startswith=key)
            matches.append((max(len(key) for key in keys), found))
        if not all_keys:
            return []
        # The longest word (usually the family name, the most telling) picks the candidates;
        # the others are checked on those candidates alone, so a common given name does not
        # make the search read every person who has it.
        matches.sort(key=lambda match: -match[0])
        condition = Q(pk__in=VisitorSearchKey.objects.filter(matches[0][1]).values("visitor"))
        for _length, found in matches[1:]:
            condition &= Q(Exists(VisitorSearchKey.objects.filter(found, visitor=OuterRef("pk"))))
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
