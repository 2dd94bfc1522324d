"""What each role may do with events: coordinators (and administrators) run them; the desk
registers walk-ins and checks people in."""

from django.db import migrations

from accounts.role_grants import grant

RUN_EVENTS = [
    "events.view_event", "events.add_event", "events.change_event",
    "events.view_occurrence", "events.add_occurrence", "events.change_occurrence",
    "events.view_registration", "events.add_registration", "events.change_registration",
    "events.view_attendance", "events.add_attendance", "events.delete_attendance",
    "events.add_message",
]
AT_THE_DOOR = [
    "events.view_event", "events.view_occurrence", "events.view_registration",
    "events.add_registration", "events.change_registration", "events.view_attendance",
    "events.add_attendance", "events.delete_attendance",
]


def grant_roles(apps, schema_editor):
    grant(apps, {"event_coordinator": RUN_EVENTS, "administrator": RUN_EVENTS,
                 "reception": AT_THE_DOOR})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_events"), ("accounts", "0004_kiosk_role")]
    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
