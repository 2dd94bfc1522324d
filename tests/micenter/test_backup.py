"""A backup restored into a new database has the same rows in every table, and the files."""

import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from accounts.roles import Role
from consultations.models import Service
from consultations.services import consultation_log
from tests.factories import staff_user, visitor
from visitors.services import visit_log

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _counts(dsn: str) -> dict:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - catalogue names
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_backup_and_restore_into_a_new_database(tmp_path):
    desk, lawyer = staff_user(Role.RECEPTION), staff_user(Role.LEGAL_ADVISER)
    person = visitor(given_name="Šarūnas", family_name="Шевченко")
    visit_log(visitor=person, purposes=[Service.objects.get(code="legal")], logged_by=desk)
    consultation_log(
        consultant=lawyer,
        service=Service.objects.get(code="legal"),
        duration_minutes=30,
        visitors=[person],
        notes="note",
    )
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "events").mkdir(parents=True)
    (media / "events" / "poster.png").write_bytes(b"\x89PNG fake")
    (private / "reports").mkdir(parents=True)
    (private / "reports" / "2024.csv").write_text("a,b\n")
    source = _url(connection.settings_dict["NAME"])
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": source,
        "MEDIA_ROOT": str(media),
        "MICENTER_PRIVATE_ROOT": str(private),
    }
    folder = subprocess.run(
        [SCRIPTS / "backup", tmp_path / "backups"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    restored_name = f"micenter_restore_{uuid.uuid4().hex[:8]}"
    target = _url(restored_name)
    try:
        subprocess.run(
            [SCRIPTS / "restore", folder, target, tmp_path / "media2", tmp_path / "private2"],
            env={"PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        before, after = _counts(source), _counts(target)
        assert after == before
        assert before["visitors_visitor"] == 1 and before["consultations_consultation"] == 1
        assert (tmp_path / "media2" / "events" / "poster.png").read_bytes() == b"\x89PNG fake"
        assert (tmp_path / "private2" / "reports" / "2024.csv").exists()
        # Restoring over an existing database is refused.
        again = subprocess.run(
            [SCRIPTS / "restore", folder, target],
            env={"PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
        )
        assert again.returncode != 0 and "exists already" in again.stderr
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", "--maintenance-db", _url("postgres"), restored_name],
            check=False,
        )
