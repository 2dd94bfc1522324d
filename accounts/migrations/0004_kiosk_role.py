"""The entrance kiosk: a role for a tablet that checks visitors in and does nothing else."""

from django.db import migrations

from accounts.role_grants import grant


def create_kiosk_role(apps, schema_editor):
    grant(apps, {"kiosk": ["accounts.use_kiosk"]})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_kiosk_permission"), ("visitors", "0007_privacy_permissions")]
    operations = [migrations.RunPython(create_kiosk_role, migrations.RunPython.noop)]
