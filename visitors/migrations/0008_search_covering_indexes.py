"""PostgreSQL: covering indexes for the visitor search, so that it finds, checks and ranks
people from the key table's indexes without reading the table (see
visitors.selectors._name_candidates). SQLite, the local default, gives the same results with
the indexes the model declares."""

from django.db import migrations

# Pattern operators on `key`, so that a prefix (LIKE 'sev%') is an index range whatever the
# database's collation; equality uses them too.
INDEXES = {
    # The people a word's spellings and one-typo variants match: key = ANY(...).
    "visitorsearchkey_key_visitor": "(key varchar_pattern_ops, visitor_id)",
    # The start of a name and a word's rarity read exact rows only (under a fifth of
    # them), so a prefix range walks none of the one-typo variants.
    "visitorsearchkey_exact_key_visitor": "(key varchar_pattern_ops, visitor_id) WHERE exact",
    # Whether one candidate also matches the other words, or has a word exactly: one look
    # at that person's keys. (The unique (visitor_id, key) index lacks `exact`, so such a
    # look visited the table.)
    "visitorsearchkey_visitor_key_exact": "(visitor_id, key) INCLUDE (exact)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON visitors_visitorsearchkey {columns}"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("visitors", "0007_privacy_permissions")]
    operations = [migrations.RunPython(forwards, backwards)]
