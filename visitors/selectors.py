"""Every non-trivial read about visitors, already limited to what the reader may see."""

import operator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import reduce

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from visitors import search_keys
from visitors.models import Consent, QueueEntry, Visit, Visitor, VisitorSearchKey

SEARCH_LIMIT = 25
# How far matches are counted: "more than 1,000" is all the desk needs to know beyond it.
COUNT_LIMIT = 1000
# What a list of people found shows (the desk, the duplicate check): not the whole record.
LISTED = ["given_name", "family_name", "citizenship", "birth_year", "phone", "erased_at"]
# pg_trgm indexes three-letter runs: a shorter part of a name cannot use the index, and
# would match too many people to help anyway.
SEARCH_PART_MIN_LENGTH = 3
# Enough to tell a family name (tens or hundreds of people) from a given name (thousands).
RARITY_COUNT_LIMIT = 1000


def visitors_visible_to(user) -> QuerySet[Visitor]:
    """Current records the user may see: front desk and advisers; nobody else."""
    if not user.is_authenticated or not user.has_perm("visitors.view_visitor"):
        return Visitor.objects.none()
    return Visitor.objects.filter(merged_into__isnull=True, erased_at__isnull=True)


@dataclass(frozen=True)
class Found:
    people: list[Visitor]  # the first `limit`, the person spelled as typed first
    total: int  # how many match in all, counted no further than COUNT_LIMIT + 1


def visitors_search(*, user, query: str, limit: int = SEARCH_LIMIT) -> list[Visitor]:
    """People matching what the desk typed: any script, no accents needed, one typo allowed
    per word, or a part of a name; or a phone number (any part of 5+ digits) or an email
    address. Whoever is written exactly as typed comes first. One query; two when no name
    key matches and the names are read for the part."""
    return _search(user=user, query=query, limit=limit, count=False).people


def visitors_found(*, user, query: str, limit: int = SEARCH_LIMIT) -> Found:
    """`visitors_search`, and how many people match in all (one query more), so the desk can
    say it lists 25 of 139 and ask for more to go on."""
    return _search(user=user, query=query, limit=limit, count=True)


def _search(*, user, query: str, limit: int, count: bool) -> Found:
    visitors = visitors_visible_to(user)
    query = " ".join(query.split())[:100]
    if not query:
        return Found(people=[], total=0)
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
        words = [keys for keys in map(search_keys.readings, query.split()) if keys]
        if not words:
            return Found(people=[], total=0)
        typed = search_keys.literals(query)
        found = list(_by_name_keys(visitors, words, typed, limit))
        if found:
            total = _counted(_name_candidates(words, COUNT_LIMIT + 1, typed)) if count else 0
            return Found(people=found, total=max(total, len(found)))
        found = list(_by_name_part(visitors, words, limit))
        total = _part_count(visitors, words) if count and found else len(found)
        return Found(people=found, total=total)
    people = list(ranked.only(*LISTED)[:limit])
    total = matches.values("pk")[: COUNT_LIMIT + 1].count() if count else len(people)
    return Found(people=people, total=total)


def _counted(candidates: "_Sql") -> int:
    sql, params = _sql("SELECT count(*) FROM (", candidates, ") AS found")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _by_name_keys(visitors, words: list[set[str]], typed: set[str], limit: int):
    """People every typed word matches by the key table: those written exactly as typed
    first, then those with a word's skeleton exact (another spelling), then by name."""
    chosen = RawSQL(*_name_candidates(words, limit, typed))  # noqa: S611 (all values are parameters)
    # A value, not EXISTS, for the same reason as in _has_key.
    exact = VisitorSearchKey.objects.filter(
        visitor=OuterRef("pk"), exact=True, key__in=set().union(*words)
    )
    as_typed = VisitorSearchKey.objects.filter(visitor=OuterRef("pk"), key__in=typed)
    return (
        visitors.filter(pk__in=chosen)
        .annotate(
            as_typed=Coalesce(Subquery(as_typed.values("exact")[:1]), False),
            exact_hit=Coalesce(Subquery(exact.values("exact")[:1]), False),
        )
        .order_by("-as_typed", "-exact_hit", "family_name", "given_name", "id")
        .only(*LISTED)
    )


_Sql = tuple[str, list]


def _sql(*parts: str | _Sql, separator: str = "") -> _Sql:
    """SQL text and its parameters, joined in the order written."""
    texts, params = [], []
    for part in parts:
        text, values = (part, []) if isinstance(part, str) else part
        texts.append(text)
        params += values
    return separator.join(texts), params


def _one_of(column: str, values) -> _Sql:
    values = sorted(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _word_arms(keys: set[str]) -> list[tuple[bool, _Sql]]:
    """The conditions on key rows `k` that match one typed word, as (on exact rows only,
    condition): its spellings and their one-typo variants; for the start of a name ("Shev"),
    a prefix range over the exact rows."""
    variants = set(keys)
    for key in keys:
        variants |= search_keys.deletions(key)
    arms = [(False, _one_of("k.key", variants))]
    for key in sorted(keys):
        if len(key) >= 3:
            arms.append((True, ("k.exact AND k.key LIKE %s", [key + "%"])))
    return arms


def _has_key(visitor: str, condition: _Sql) -> _Sql:
    """Whether the person `visitor` has a key row meeting `condition`."""
    # A scalar subquery, not EXISTS: PostgreSQL may run an EXISTS as one pass over every
    # matching row, hashed (every Olena), where a look at this one person's keys will do.
    return _sql(
        "(SELECT 1 FROM visitors_visitorsearchkey k WHERE k.visitor_id = ",
        visitor,
        " AND ",
        condition,
        " LIMIT 1) IS NOT NULL",
    )


def _name_candidates(words: list[set[str]], limit: int, typed: set[str] = frozenset()) -> _Sql:
    """SQL for the ids of at most `limit` people every word matches: those with a word written
    exactly as typed (`typed`, search_keys.literals) first, then those with a word's skeleton
    exact, then the lowest ids.

    Candidates are found, ranked and cut on the key table alone, and only the chosen few are
    read from the visitor table: ordering every candidate by name made a common name cost as
    much as the number of people who share it. The ids come from covering indexes (migration
    0008) without visiting the table; each arm of a word is its own scan, as an OR of them
    would be one bitmap scan over the table. Beyond the limit the lowest ids win, so a new
    registration does not push anyone off the list. Merging and erasing delete a record's
    keys, so no hidden record takes a place (and the caller's filter still hides any).
    """
    # On a tie in rarity, the longest word (usually the family name) leads.
    words = sorted(words, key=lambda keys: -max(map(len, keys)))
    arms = [_word_arms(keys) for keys in words]
    exact = _sql("k.exact AND ", _one_of("k.key", set().union(*words)))
    literal = _one_of("k.key", typed or {search_keys.LITERAL_MARK})

    if len(words) == 1:
        # One word: whether a candidate has it exactly comes with the scans, as a prefix
        # ("Shev", "Kov") can have thousands of candidates to look up one by one.
        scans = [
            _sql("SELECT k.visitor_id, 0 AS miss FROM visitors_visitorsearchkey k WHERE ", literal),
            _sql("SELECT k.visitor_id, 1 FROM visitors_visitorsearchkey k WHERE ", exact),
            *[
                _sql("SELECT k.visitor_id, 2 FROM visitors_visitorsearchkey k WHERE ", arm)
                for _exact, arm in arms[0]
            ],
        ]
        return _sql(
            "SELECT c.visitor_id FROM (",
            _sql(*scans, separator=" UNION ALL "),
            ") AS c GROUP BY c.visitor_id ORDER BY min(c.miss), c.visitor_id LIMIT %s",
            ("", [limit]),
        )

    # The rarest word picks the candidates and the others are checked on those alone, so
    # "Olena Kovalenko" does not read every Olena. Each word has a branch and PostgreSQL runs
    # only the one whose one-time condition holds. Its planner cannot be left to choose: its
    # statistics take a given name shared by thousands for a rare one, and statistics fine
    # enough to tell made planning this query cost more than running it.
    def rarity(word: int) -> _Sql:
        # People with the word as typed (or one letter shorter, or starting so), counted no
        # further than it takes to tell a family name from a given name.
        rows = [
            _sql(
                "SELECT 1 FROM visitors_visitorsearchkey k WHERE ",
                arm if exact_only else _sql("k.exact AND ", arm),
            )
            for exact_only, arm in arms[word]
        ]
        return _sql(
            "SELECT %s AS word, (SELECT count(*) FROM (",
            ("", [word]),
            _sql(*rows, separator=" UNION ALL "),
            " LIMIT %s) AS r) AS n",
            ("", [RARITY_COUNT_LIMIT]),
        )

    def ids(word: int) -> _Sql:
        # Set semantics (UNION, DISTINCT): one row per person however many of their keys
        # match, so that the other words are checked once per person.
        select = "SELECT DISTINCT" if len(arms[word]) == 1 else "SELECT"
        scans = [
            _sql(select, " k.visitor_id FROM visitors_visitorsearchkey k WHERE ", arm)
            for _exact, arm in arms[word]
        ]
        return _sql(*scans, separator=" UNION ")

    def leads(word: int) -> _Sql:
        return "(SELECT word FROM driver) = %s", [word]

    def matches(word: int) -> _Sql:
        # The candidates come from the leading word; one look at a candidate's keys for
        # each other word, all its arms at once.
        either = _sql(*[arm for _exact, arm in arms[word]], separator=" OR ")
        return _sql("(", leads(word), " OR ", _has_key("c.visitor_id", _sql("(", either, ")")), ")")

    branches = [
        _sql("SELECT d.visitor_id FROM (", ids(word), ") AS d WHERE ", leads(word))
        for word in range(len(words))
    ]
    return _sql(
        "WITH rarity AS (",
        _sql(*map(rarity, range(len(words))), separator=" UNION ALL "),
        "), driver AS (SELECT word FROM rarity ORDER BY n, word LIMIT 1) ",
        "SELECT c.visitor_id FROM (",
        _sql(*branches, separator=" UNION ALL "),
        ") AS c WHERE ",
        _sql(*map(matches, range(len(words))), separator=" AND "),
        " ORDER BY ",
        _has_key("c.visitor_id", literal),
        " DESC, ",
        _has_key("c.visitor_id", exact),
        " DESC, c.visitor_id LIMIT %s",
        ("", [limit]),
    )


def _by_name_part(visitors, words: list[set[str]], limit: int) -> QuerySet[Visitor]:
    """People whose normalised names contain each typed word (in one of its readings) as a
    part, e.g. "ченко" finds Shevchenko: a substring of `search_text`, which PostgreSQL
    reads from its trigram index and SQLite by scanning, with the same result."""
    condition = Q()
    for keys in words:
        parts = [key for key in keys if len(key) >= SEARCH_PART_MIN_LENGTH]
        if not parts:
            return visitors.none()
        condition &= reduce(operator.or_, (Q(search_text__contains=part) for part in parts))
    # Cut by id, not by name, for the same reason as above; it also lets the planner walk
    # the primary key and stop early when a part is common.
    chosen = visitors.filter(condition).order_by("pk").values("pk")[:limit]
    return visitors.filter(pk__in=chosen).order_by("family_name", "given_name", "id").only(*LISTED)


def _part_count(visitors, words: list[set[str]]) -> int:
    condition = Q()
    for keys in words:
        parts = [key for key in keys if len(key) >= SEARCH_PART_MIN_LENGTH]
        condition &= reduce(operator.or_, (Q(search_text__contains=part) for part in parts))
    return visitors.filter(condition).values("pk")[: COUNT_LIMIT + 1].count()


def visitor_for_staff(*, user, pk: int) -> Visitor:
    """One visitor's record for a member of staff; DoesNotExist (404) if they may not see it."""
    return visitors_visible_to(user).select_related("legal_status", "created_by").get(pk=pk)


def visits_of_visitor(*, visitor: Visitor) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(visitor=visitor)
        .only("occurred_at", "language", "note")
        .prefetch_related(Prefetch("purposes", queryset=services_named(), to_attr="purpose_list"))
        .order_by("-occurred_at", "-id")
    )


def day_bounds(day=None):
    """The start of a local day and of the next, as aware datetimes: a range the date
    indexes can use (a ...__date lookup casts every row and reads the whole table)."""
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def services_named():
    """Services with only their names (in every language, for the fallback), for lists."""
    from consultations.models import Service

    return Service.objects.only(*(f"name_{code}" for code, _label in settings.LANGUAGES))


def visits_today(*, user) -> QuerySet[Visit]:
    """Today's visits (Vilnius time) for the desk, newest first."""
    if not user.has_perm("visitors.view_visit"):
        return Visit.objects.none()
    start, end = day_bounds()
    return (
        Visit.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .select_related("visitor", "logged_by")
        # What the desk's list shows, not the whole person and account of each row.
        .only(
            "occurred_at",
            "visitor__given_name",
            "visitor__family_name",
            "visitor__erased_at",
            "logged_by__first_name",
            "logged_by__email",
        )
        .prefetch_related(Prefetch("purposes", queryset=services_named(), to_attr="purpose_list"))
        .order_by("-occurred_at", "-id")
    )


def queue_open(*, user, service=None) -> QuerySet[QueueEntry]:
    """People waiting or called in, longest-waiting first, for one service or all."""
    if not user.has_perm("visitors.view_queueentry"):
        return QueueEntry.objects.none()
    entries = QueueEntry.objects.filter(
        status__in=[QueueEntry.Status.WAITING, QueueEntry.Status.CALLED],
        joined_at__gte=day_bounds()[0],
    )
    if service is not None:
        entries = entries.filter(service=service)
    # What the queue's lists show, not the whole visit, person and account of each row.
    return entries.select_related("service", "visit__visitor", "called_by").only(
        "status",
        "joined_at",
        *(f"service__name_{code}" for code, _label in settings.LANGUAGES),
        "visit__visitor__given_name",
        "visit__visitor__family_name",
        "visit__visitor__erased_at",
        "called_by__first_name",
        "called_by__email",
    )


def consents_of_visitor(*, visitor: Visitor):
    """A person's consents as their page lists them (the wording's version, not its text)."""
    return (
        Consent.objects.filter(visitor=visitor)
        .select_related("text")
        .only("purpose", "method", "given_at", "withdrawn_at", "text__version")
    )
