"""Administrators decide erasure requests and set the retention period."""

from django.db import migrations

from accounts.role_grants import grant

PERMISSIONS = [
    "visitors.view_erasurerequest", "visitors.change_erasurerequest",
    "visitors.view_privacysettings", "visitors.change_privacysettings",
    "visitors.add_privacysettings",
]


def grant_administrators(apps, schema_editor):
    grant(apps, {"administrator": PERMISSIONS})


class Migration(migrations.Migration):
    dependencies = [("visitors", "0006_erasure_and_retention")]
    operations = [migrations.RunPython(grant_administrators, migrations.RunPython.noop)]
