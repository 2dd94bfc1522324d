"""PostgreSQL's trigram index for part-of-name search, the legal-status list, and what each
role may do with visitors. (SQLite, the local default, searches the same column unindexed.)"""

from django.db import migrations

from accounts.role_grants import grant

LEGAL_STATUSES = [
    ("temporary-protection", "Laikinoji apsauga", "Temporary protection", "Тимчасовий захист",
     "Временная защита"),
    ("residence-permit", "Leidimas gyventi", "Residence permit", "Посвідка на проживання",
     "Вид на жительство"),
    ("asylum-seeker", "Prieglobsčio prašytojas", "Asylum seeker", "Шукач притулку",
     "Лицо, ищущее убежища"),
    ("citizen-eu", "ES pilietis", "EU citizen", "Громадянин ЄС", "Гражданин ЕС"),
    ("visa", "Viza", "Visa", "Віза", "Виза"),
    ("other", "Kita", "Other", "Інше", "Другое"),
]

ROLE_PERMISSIONS = {
    "reception": [
        "visitors.view_visitor", "visitors.add_visitor", "visitors.change_visitor",
        "visitors.view_visit", "visitors.add_visit", "visitors.view_queueentry",
        "visitors.change_queueentry",
    ],
    "legal_adviser": ["visitors.view_visitor", "visitors.view_visit", "visitors.view_queueentry",
                      "visitors.change_queueentry"],
    "career_adviser": ["visitors.view_visitor", "visitors.view_visit", "visitors.view_queueentry",
                       "visitors.change_queueentry"],
    "psychologist": ["visitors.view_visitor", "visitors.view_visit", "visitors.view_queueentry",
                     "visitors.change_queueentry"],
    "administrator": [
        "visitors.view_legalstatus", "visitors.add_legalstatus", "visitors.change_legalstatus",
        "consultations.view_service", "consultations.add_service", "consultations.change_service",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)
    LegalStatus = apps.get_model("visitors", "LegalStatus")
    for position, (code, lt, en, uk, ru) in enumerate(LEGAL_STATUSES):
        LegalStatus.objects.update_or_create(
            code=code,
            defaults={"position": position, "name": lt, "name_lt": lt, "name_en": en,
                      "name_uk": uk, "name_ru": ru},
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS visitors_visitor_search_trgm "
            "ON visitors_visitor USING gin (search_text gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS visitors_visitor_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("visitors", "0001_initial"),
        ("accounts", "0002_roles"),
        ("consultations", "0002_services"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
