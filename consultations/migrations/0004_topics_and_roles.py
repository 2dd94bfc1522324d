"""The topics of each consultation service, in four languages, and what each role may do
with consultations. Administrators can add topics and services later."""

from django.db import migrations

from accounts.role_grants import grant

TOPICS = {
    # service: [(code, lt, en, uk, ru)]
    "legal": [
        ("residence-permit", "Leidimas gyventi", "Residence permit", "Посвідка на проживання",
         "Вид на жительство"),
        ("temporary-protection", "Laikinoji apsauga", "Temporary protection",
         "Тимчасовий захист", "Временная защита"),
        ("employment", "Įdarbinimas ir darbo teisė", "Employment", "Працевлаштування",
         "Трудоустройство"),
        ("family-reunification", "Šeimos susijungimas", "Family reunification",
         "Возз’єднання сім’ї", "Воссоединение семьи"),
        ("social-benefits", "Socialinės išmokos", "Social benefits", "Соціальні виплати",
         "Социальные выплаты"),
        ("housing", "Būstas", "Housing", "Житло", "Жильё"),
        ("other", "Kita", "Other", "Інше", "Другое"),
    ],
    "career": [
        ("cv-job-search", "CV ir darbo paieška", "CV and job search", "Резюме та пошук роботи",
         "Резюме и поиск работы"),
        ("qualifications", "Kvalifikacijos pripažinimas", "Recognition of qualifications",
         "Визнання кваліфікації", "Признание квалификации"),
        ("training", "Mokymai", "Training", "Навчання", "Обучение"),
        ("business", "Verslo pradžia", "Starting a business", "Започаткування бізнесу",
         "Открытие бизнеса"),
        ("other", "Kita", "Other", "Інше", "Другое"),
    ],
    "psychological": [
        ("individual", "Individuali konsultacija", "Individual counselling",
         "Індивідуальне консультування", "Индивидуальное консультирование"),
        ("crisis", "Krizių atvejo pagalba", "Crisis support", "Кризова підтримка",
         "Кризисная поддержка"),
        ("family", "Šeima", "Family", "Сім’я", "Семья"),
        ("other", "Kita", "Other", "Інше", "Другое"),
    ],
    "information": [
        ("first-steps", "Pirmieji žingsniai Lietuvoje", "First steps in Lithuania",
         "Перші кроки в Литві", "Первые шаги в Литве"),
        ("healthcare", "Sveikatos priežiūra", "Healthcare", "Охорона здоров’я",
         "Здравоохранение"),
        ("education", "Mokyklos ir darželiai", "Schools and kindergartens", "Школи та садочки",
         "Школы и детские сады"),
        ("other", "Kita", "Other", "Інше", "Другое"),
    ],
}

ADVISER = [
    "consultations.view_consultation", "consultations.add_consultation",
    "consultations.change_consultation", "consultations.view_partnerorganisation",
    "consultations.add_referral", "consultations.change_referral",
]
ROLE_PERMISSIONS = {
    # The desk sees that a consultation took place, and records information consultations.
    "reception": ["consultations.view_consultation", "consultations.add_consultation",
                  "consultations.view_partnerorganisation"],
    "legal_adviser": ADVISER,
    "career_adviser": ADVISER,
    "psychologist": ADVISER,
    # Configuration only: administrators read records through break-glass access alone.
    "administrator": [
        "consultations.view_topic", "consultations.add_topic", "consultations.change_topic",
        "consultations.view_partnerorganisation", "consultations.add_partnerorganisation",
        "consultations.change_partnerorganisation", "consultations.view_breakglassgrant",
    ],
}


def create_topics(apps, schema_editor):
    Service = apps.get_model("consultations", "Service")
    Topic = apps.get_model("consultations", "Topic")
    for service_code, topics in TOPICS.items():
        service = Service.objects.filter(code=service_code).first()
        if service is None:
            continue
        for position, (code, lt, en, uk, ru) in enumerate(topics):
            Topic.objects.update_or_create(
                service=service,
                code=code,
                defaults={"position": position, "name": lt, "name_lt": lt, "name_en": en,
                          "name_uk": uk, "name_ru": ru},
            )
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_consultations_topics_referrals"),
        ("accounts", "0004_kiosk_role"),
    ]
    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
