# ruff: noqa: S608 - the SQL is built from this module's constants only, never from input.
"""More of the demo year, for the report benchmark (bench.report; PostgreSQL only).

Making a million visits through the services would take hours; instead the demo year that
the services made is copied N-1 times inside the database: people, visits, consultations,
their topics and participants, each copy with its own ids. Every count in a report is then
exactly N times the demo's, which the benchmark checks.
"""

from django.db import connection, transaction

# Copy k of a row gets id + k * OFFSET: far above any id the demo makes.
VISITOR_OFFSET = 10_000_000
ROW_OFFSET = 100_000_000

VISITOR_COLUMNS = (
    "given_name, family_name, other_names, birth_year, birth_date, gender, citizenship, "
    "preferred_language, legal_status_id, arrival_year, phone, email, household_size, "
    "created_at, last_contact_at, search_text, phone_digits, erased_at"
)
VISIT_COLUMNS = (
    "occurred_at, language, note, citizenship, gender, age_band, logged_at, logged_by_id"
)
CONSULTATION_COLUMNS = (
    "started_at, duration_minutes, mode, language, interpreter, outcome, notes, "
    "follow_up_on, follow_up_done_at, is_group, created_at, consultant_id, service_id"
)


def _skip_foreign_key_checks(cursor) -> None:
    """Copies point only at copies, all made or removed together: the per-row foreign key
    checks (most of the time of a million rows) are skipped for this transaction, where the
    database role may do so."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")


@transaction.atomic
def scale_up(factor: int) -> None:
    """Make the data `factor` times larger (2 doubles it). PostgreSQL only."""
    if connection.vendor != "postgresql":
        raise ValueError("Scaling the demo data needs PostgreSQL.")
    copies = factor - 1
    if copies < 1:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM visitors_visitor")
        if (cursor.fetchone()[0] or 0) >= VISITOR_OFFSET:
            raise ValueError("The data has been scaled already; start from a fresh demo.")
        _skip_foreign_key_checks(cursor)
        statements = [
            f"""INSERT INTO visitors_visitor (id, {VISITOR_COLUMNS})
                SELECT t.id + g::bigint * {VISITOR_OFFSET}, {VISITOR_COLUMNS}
                FROM visitors_visitor t CROSS JOIN generate_series(1, %(n)s) g
                WHERE t.merged_into_id IS NULL""",
            f"""INSERT INTO visitors_visit (id, visitor_id, {VISIT_COLUMNS})
                SELECT t.id + g::bigint * {ROW_OFFSET},
                       t.visitor_id + g::bigint * {VISITOR_OFFSET}, {VISIT_COLUMNS}
                FROM visitors_visit t CROSS JOIN generate_series(1, %(n)s) g""",
            f"""INSERT INTO visitors_visit_purposes (visit_id, service_id)
                SELECT t.visit_id + g::bigint * {ROW_OFFSET}, t.service_id
                FROM visitors_visit_purposes t CROSS JOIN generate_series(1, %(n)s) g""",
            f"""INSERT INTO consultations_consultation (id, {CONSULTATION_COLUMNS})
                SELECT t.id + g::bigint * {ROW_OFFSET}, {CONSULTATION_COLUMNS}
                FROM consultations_consultation t CROSS JOIN generate_series(1, %(n)s) g""",
            f"""INSERT INTO consultations_consultation_topics (consultation_id, topic_id)
                SELECT t.consultation_id + g::bigint * {ROW_OFFSET}, t.topic_id
                FROM consultations_consultation_topics t CROSS JOIN generate_series(1, %(n)s) g""",
            f"""INSERT INTO consultations_participant
                    (id, consultation_id, visitor_id, visit_id, citizenship, gender, age_band)
                SELECT t.id + g::bigint * {ROW_OFFSET},
                       t.consultation_id + g::bigint * {ROW_OFFSET},
                       t.visitor_id + g::bigint * {VISITOR_OFFSET},
                       t.visit_id + g::bigint * {ROW_OFFSET},
                       t.citizenship, t.gender, t.age_band
                FROM consultations_participant t CROSS JOIN generate_series(1, %(n)s) g""",
        ]
        for statement in statements:
            cursor.execute(statement, {"n": copies})
        for table in (
            "visitors_visitor",
            "visitors_visit",
            "consultations_consultation",
            "consultations_participant",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute(
            "ANALYZE visitors_visitor, visitors_visit, consultations_consultation, "
            "consultations_participant, consultations_consultation_topics"
        )


@transaction.atomic
def scale_down() -> None:
    """Remove every copy `scale_up` made, leaving the demo as the services made it."""
    with connection.cursor() as cursor:
        _skip_foreign_key_checks(cursor)
        cursor.execute(f"DELETE FROM consultations_participant WHERE id >= {ROW_OFFSET}")
        cursor.execute(
            f"DELETE FROM consultations_consultation_topics WHERE consultation_id >= {ROW_OFFSET}"
        )
        cursor.execute(f"DELETE FROM consultations_consultation WHERE id >= {ROW_OFFSET}")
        cursor.execute(f"DELETE FROM visitors_visit_purposes WHERE visit_id >= {ROW_OFFSET}")
        cursor.execute(f"DELETE FROM visitors_visit WHERE id >= {ROW_OFFSET}")
        cursor.execute(f"DELETE FROM visitors_visitor WHERE id >= {VISITOR_OFFSET}")
