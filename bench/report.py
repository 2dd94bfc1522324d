# ruff: noqa: S608 - the SQL is this module's own text; values go in as parameters.
"""The yearly report at the demo size, 100,000 and 1,000,000 visits (PostgreSQL): the time
report_build takes, the time of hand-written SQL computing the same figures in the same run,
their ratio (target <= 1.2), and the growth from 100,000 to 1,000,000 (target <= 10x).

Run by `make bench-report` on a database named *_bench that holds the demo year (the
Makefile makes one with `seed_demo`). The SQL's results are compared with the report's, so
the two really compute the same figures.
"""

import statistics
import time
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation

from bench.common import bench_write
from bench.scale import scale_down, scale_up
from reports.figures import Period, named_period, report_build
from visitors.models import Visit

# (label, copies of the demo year, timed runs of each side: the median is kept).
SIZES = [("demo", 1, 5), ("100k", 16, 5), ("1M", 159, 3)]


def _sql_figures(period: Period) -> dict:
    """The report's figures by hand-written SQL: one statement per figure group, as a
    person who knows the schema would write them."""
    start, end = period.bounds
    previous = period.previous().bounds
    held = """
        SELECT o.id, o.event_id FROM events_occurrence o JOIN events_event e ON e.id = o.event_id
        WHERE o.starts_at >= %(a)s AND o.starts_at < LEAST(%(b)s, now())
          AND NOT o.is_cancelled AND e.status <> 'cancelled'"""
    headline = {
        "visits": """SELECT count(*), count(*) FILTER (WHERE visitor_id IS NULL),
                            count(DISTINCT visitor_id)
                     FROM visitors_visit WHERE occurred_at >= %(a)s AND occurred_at < %(b)s""",
        "new": """SELECT count(*) FROM (SELECT visitor_id FROM visitors_visit
                  WHERE visitor_id IS NOT NULL GROUP BY visitor_id
                  HAVING min(occurred_at) >= %(a)s AND min(occurred_at) < %(b)s) s""",
        "consultations": """SELECT count(*), count(*) FILTER (WHERE is_group)
                  FROM consultations_consultation
                  WHERE started_at >= %(a)s AND started_at < %(b)s""",
        "participants": """SELECT count(*), count(*) FILTER (WHERE c.is_group)
                  FROM consultations_participant p
                  JOIN consultations_consultation c ON c.id = p.consultation_id
                  WHERE c.started_at >= %(a)s AND c.started_at < %(b)s""",
        "held": f"SELECT count(*), count(DISTINCT event_id) FROM ({held}) h",
        "registrations": f"""SELECT count(*), coalesce(sum(household_size), 0)
                  FROM events_registration r WHERE r.status = 'confirmed' AND (
                    r.occurrence_id IN (SELECT id FROM ({held}) h)
                    OR (r.occurrence_id IS NULL
                        AND r.event_id IN (SELECT event_id FROM ({held}) h)))""",
        "attended": f"""SELECT count(*) FROM events_attendance a
                  JOIN events_registration r ON r.id = a.registration_id
                  WHERE r.status = 'confirmed'
                    AND a.occurrence_id IN (SELECT id FROM ({held}) h)""",
        "expected": f"""SELECT
                  (SELECT count(*) FROM events_registration r WHERE r.status = 'confirmed'
                     AND r.occurrence_id IN (SELECT id FROM ({held}) h))
                + (SELECT coalesce(sum(s.n * e.n), 0) FROM
                     (SELECT h.event_id, count(*) n FROM ({held}) h
                      JOIN events_event ev ON ev.id = h.event_id
                      WHERE ev.registration_mode = 'cohort' GROUP BY h.event_id) s
                     JOIN (SELECT event_id, count(*) n FROM events_registration
                           WHERE status = 'confirmed' AND occurrence_id IS NULL
                           GROUP BY event_id) e ON e.event_id = s.event_id)""",
    }
    window = "started_at >= %(a)s AND started_at < %(b)s"
    visits = "occurred_at >= %(a)s AND occurred_at < %(b)s"
    # Each registered person once, as on their last visit in the period (walk-ins are a
    # row of their own, the headline's figure).
    people = f"""FROM visitors_visit WHERE ({visits}) AND id IN (
        SELECT max(id) FROM visitors_visit WHERE {visits} AND visitor_id IS NOT NULL
        GROUP BY visitor_id)"""
    # One scan per table, counted by several columns at once and summed per column (as the
    # report does): {breakdown: column} for each.
    tallies = [
        (
            f"""SELECT service_id, mode, language, interpreter, count(*)
                FROM consultations_consultation WHERE {window} GROUP BY 1, 2, 3, 4""",
            [
                "consultations_by_service",
                "consultations_by_mode",
                "consultations_by_language",
                "consultations_with_interpreter",
            ],
        ),
        (
            f"SELECT citizenship, gender, age_band, count(*) {people} GROUP BY 1, 2, 3",
            ["people_by_citizenship", "people_by_gender", "people_by_age_band"],
        ),
    ]
    breakdowns = {
        "consultations_by_topic": f"""SELECT t.topic_id, count(*)
            FROM consultations_consultation_topics t
            JOIN consultations_consultation c ON c.id = t.consultation_id
            WHERE c.{window.replace(" AND started_at", " AND c.started_at")} GROUP BY 1""",
        "visits_by_citizenship": f"""SELECT citizenship, count(*) FROM visitors_visit
            WHERE {visits} GROUP BY 1""",
    }
    months = {
        "visits": f"""SELECT date_trunc('month', occurred_at AT TIME ZONE %(zone)s), count(*)
            FROM visitors_visit WHERE {visits} GROUP BY 1""",
        "consultations": f"""SELECT date_trunc('month', started_at AT TIME ZONE %(zone)s),
            count(*) FROM consultations_consultation WHERE {window} GROUP BY 1""",
        "sessions": f"""SELECT date_trunc('month', o.starts_at AT TIME ZONE %(zone)s), count(*)
            FROM events_occurrence o WHERE o.id IN (SELECT id FROM ({held}) h) GROUP BY 1""",
    }
    zone = settings.TIME_ZONE
    out = {"headline": {}, "previous": {}, "breakdowns": {}, "months": {}}
    with connection.cursor() as cursor:
        for bounds, target in (((start, end), "headline"), (previous, "previous")):
            for key, sql in headline.items():
                cursor.execute(sql, {"a": bounds[0], "b": bounds[1]})
                out[target][key] = cursor.fetchone()
        for key, sql in breakdowns.items():
            cursor.execute(sql, {"a": start, "b": end})
            out["breakdowns"][key] = sorted(n for _k, n in cursor.fetchall())
        for sql, keys in tallies:
            cursor.execute(sql, {"a": start, "b": end})
            sums = [Counter() for _key in keys]
            for *values, n in cursor.fetchall():
                for counts, value in zip(sums, values, strict=True):
                    counts[value] += n
            for key, counts in zip(keys, sums, strict=True):
                out["breakdowns"][key] = sorted(counts.values())
        for key, sql in months.items():
            cursor.execute(sql, {"a": start, "b": end, "zone": zone})
            out["months"][key] = sorted(n for _k, n in cursor.fetchall())
    return out


def _headline_pairs(h: dict, wanted: dict) -> list[tuple]:
    return [
        (h["visits"], wanted["visits"][0]),
        (h["walk_ins"], wanted["visits"][1]),
        (h["unique_visitors"], wanted["visits"][2]),
        (h["new_visitors"], wanted["new"][0]),
        (h["consultations"], wanted["consultations"][0]),
        (h["group_sessions"], wanted["consultations"][1]),
        (h["participants"], wanted["participants"][0]),
        (h["group_participants"], wanted["participants"][1]),
        (h["sessions_held"], wanted["held"][0]),
        (h["events_held"], wanted["held"][1]),
        (h["registrations"], wanted["registrations"][0]),
        (h["places"], wanted["registrations"][1]),
        (h["attended"], wanted["attended"][0]),
        (h["no_shows"], max(0, wanted["expected"][0] - wanted["attended"][0])),
    ]


def _same(report, sql) -> bool:
    pairs = _headline_pairs(
        {x.key: x.value for x in report.headline}, sql["headline"]
    ) + _headline_pairs({x.key: x.previous for x in report.headline}, sql["previous"])
    if any(a != b for a, b in pairs):
        return False
    for breakdown in report.breakdowns:
        if sorted(c.value for c in breakdown.rows) != sql["breakdowns"][breakdown.key]:
            return False
    for key in ("visits", "consultations", "sessions"):
        if sorted(m[key] for m in report.months if m[key]) != sql["months"][key]:
            return False
    return True


def _settle() -> None:
    """VACUUM and ANALYZE every table, as autovacuum would soon after a load or a delete of
    this size: it must not run during one side's timing only, and neither side may be timed
    on a table without statistics (a fresh seed's events tables gave both sides a nested
    loop of 250 ms) or swollen by the rows a larger size left behind."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _medians(first, second, runs: int) -> tuple[float, float]:
    """Median times of two functions, run in turn (first, second, first, ...), so that a
    busy spell on the machine falls on both sides and not on one side's runs only."""
    times = ([], [])
    for _ in range(runs):
        for function, kept in zip((first, second), times, strict=True):
            started = time.perf_counter()
            function()
            kept.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def _database_share(function) -> float:
    """Seconds one run of `function` spends waiting for the database: the rest is Python
    (the ORM building queries, the report its labels and rows)."""
    waited = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited[0] += time.perf_counter() - started

    with connection.execute_wrapper(timed):
        function()
    return waited[0]


class Command(BaseCommand):
    help = "Benchmark the yearly report against hand-written SQL at three sizes."

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if connection.vendor != "postgresql" or not str(name).endswith("_bench"):
            raise CommandError("Run against a PostgreSQL database named *_bench.")
        if not Visit.objects.exists():
            raise CommandError("No demo data: run seed_demo on this database first.")
        period = named_period("first_year")
        results = {}
        translation.activate("en")
        try:
            for label, factor, runs in SIZES:
                scale_down()
                scale_up(factor)
                _settle()
                visits = Visit.objects.count()
                # Checked once, which also warms both sides, then timed.
                if not _same(report_build(period), _sql_figures(period)):
                    raise CommandError(f"The SQL and the report disagree at {label}.")
                orm, raw = _medians(
                    lambda: report_build(period), lambda: _sql_figures(period), runs
                )
                waited = _database_share(lambda: report_build(period))
                results[label] = {
                    "visits": visits,
                    "report_s": round(orm, 3),
                    "report_in_database_s": round(waited, 3),
                    "sql_s": round(raw, 3),
                    "ratio": round(orm / raw, 2),
                }
                self.stdout.write(
                    f"{label:>5}: {visits:>9,} visits  report {orm * 1000:8.0f} ms "
                    f"({waited * 1000:.0f} in the database)  SQL {raw * 1000:8.0f} ms  "
                    f"ratio {orm / raw:.2f} (target <= 1.2)"
                )
        finally:
            scale_down()
            translation.deactivate()
        growth = results["1M"]["report_s"] / results["100k"]["report_s"]
        # The SQL's own growth says how much of the report's is the database's work.
        sql_growth = results["1M"]["sql_s"] / results["100k"]["sql_s"]
        results["growth_100k_to_1M"] = round(growth, 2)
        results["sql_growth_100k_to_1M"] = round(sql_growth, 2)
        self.stdout.write(
            f"growth 100k -> 1M: {growth:.1f}x (target <= 10x); the SQL's {sql_growth:.1f}x"
        )
        self.stdout.write(f"Written {bench_write('report', results)}")
