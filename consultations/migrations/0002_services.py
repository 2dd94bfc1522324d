"""The centre's services, in four languages. Administrators can add more later."""

from django.db import migrations

SERVICES = [
    # code, consultations?, lt, en, uk, ru
    ("legal", True, "Teisinė pagalba", "Legal help", "Юридична допомога", "Юридическая помощь"),
    ("career", True, "Karjeros konsultacijos", "Career guidance",
     "Допомога з роботою та кар’єрою", "Помощь с работой и карьерой"),
    ("psychological", True, "Psichologinė pagalba", "Psychological help",
     "Психологічна допомога", "Психологическая помощь"),
    ("information", True, "Informacija naujai atvykusiems", "Information for newcomers",
     "Інформація для новоприбулих", "Информация для недавно приехавших"),
    ("lessons", False, "Lietuvių kalbos pamokos", "Lithuanian lessons",
     "Уроки литовської мови", "Уроки литовского языка"),
    ("events", False, "Grupės ir renginiai", "Groups and events", "Групи та заходи",
     "Группы и мероприятия"),
]


def create_services(apps, schema_editor):
    Service = apps.get_model("consultations", "Service")
    for position, (code, consultations, lt, en, uk, ru) in enumerate(SERVICES):
        Service.objects.update_or_create(
            code=code,
            defaults={
                "gives_consultations": consultations, "position": position,
                "name": lt, "name_lt": lt, "name_en": en, "name_uk": uk, "name_ru": ru,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]
    operations = [migrations.RunPython(create_services, migrations.RunPython.noop)]
