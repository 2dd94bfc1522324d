"""Each person's names as written become search keys too (search_keys.literals), so the
desk lists whoever is spelled exactly as typed first. Existing people get theirs here."""

from django.db import migrations

from visitors import search_keys

BATCH = 2000


def add_typed_keys(apps, schema_editor):
    Visitor = apps.get_model("visitors", "Visitor")
    VisitorSearchKey = apps.get_model("visitors", "VisitorSearchKey")
    length = VisitorSearchKey._meta.get_field("key").max_length
    people = Visitor.objects.filter(erased_at__isnull=True, merged_into__isnull=True)
    rows = []
    for person in people.only("given_name", "family_name", "other_names").iterator(BATCH):
        names = " ".join([person.given_name, person.family_name, person.other_names])
        typed = {key[:length] for key in search_keys.literals(names)}
        rows += [VisitorSearchKey(visitor_id=person.pk, key=key, exact=True) for key in typed]
        if len(rows) >= BATCH:
            VisitorSearchKey.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    VisitorSearchKey.objects.bulk_create(rows, ignore_conflicts=True)


def remove_typed_keys(apps, schema_editor):
    VisitorSearchKey = apps.get_model("visitors", "VisitorSearchKey")
    VisitorSearchKey.objects.filter(key__startswith=search_keys.LITERAL_MARK).delete()


class Migration(migrations.Migration):
    dependencies = [("visitors", "0011_date_ranges_and_text_limits")]

    operations = [migrations.RunPython(add_typed_keys, remove_typed_keys)]
