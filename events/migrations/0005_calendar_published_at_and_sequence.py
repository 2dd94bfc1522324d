from django.db import migrations, models


def mark_published(apps, schema_editor):
    """Events published before the field existed: a published one, and a cancelled one that
    was published first (the audit log says so, or people had registered, which only a
    published event allows)."""
    Event = apps.get_model("events", "Event")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Registration = apps.get_model("events", "Registration")
    for event in Event.objects.filter(status__in=["published", "cancelled"]):
        entry = (
            AuditEntry.objects.filter(
                action="event.publish", object_type="events.event", object_id=str(event.pk)
            )
            .order_by("at")
            .first()
        )
        if entry is not None:
            event.published_at = entry.at
        elif event.status == "published" or Registration.objects.filter(event=event).exists():
            event.published_at = event.created_at
        else:
            continue
        event.save(update_fields=["published_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("events", "0004_date_ranges_and_text_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="first published"),
        ),
        migrations.AddField(
            model_name="occurrence",
            name="sequence",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="calendar version"
            ),
        ),
        migrations.RunPython(mark_published, migrations.RunPython.noop),
    ]
