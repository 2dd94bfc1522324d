"""Creates the staff roles as Groups with their permissions.

The role table is copied here, not imported, so this migration keeps meaning what it meant
when later changes to accounts/roles.py come with their own migrations.
"""

from django.db import migrations

from accounts.role_grants import grant

ROLE_PERMISSIONS = {
    "reception": ["accounts.use_front_desk"],
    "legal_adviser": ["accounts.give_consultations"],
    "career_adviser": ["accounts.give_consultations"],
    "psychologist": ["accounts.give_consultations"],
    "event_coordinator": ["accounts.coordinate_events"],
    "manager": ["accounts.view_reports"],
    "administrator": [
        "accounts.administer_centre",
        "accounts.view_reports",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "audit.view_auditentry",
        "notifications.view_outgoingemail",
    ],
}


def create_roles(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("notifications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
