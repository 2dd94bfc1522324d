"""The first wording of the two consents, in plain words, in four languages."""

from django.db import migrations
from django.utils import timezone

TEXTS = {
    "registration": {
        "lt": "Sutinku, kad Migrantų informacijos centras saugotų mano vardą, pavardę ir kitus "
              "mano pateiktus duomenis bei mano apsilankymų įrašus, kad galėtų man padėti. "
              "Duomenimis su niekuo nesidalijama. Bet kada galiu paprašyti juos parodyti arba "
              "ištrinti ir atšaukti šį sutikimą.",
        "en": "I agree that the Migration information centre keeps my name, the other details "
              "I give and a record of my visits, so that it can help me. The details are not "
              "shared with anyone. I can ask to see them or have them erased, and withdraw this "
              "consent, at any time.",
        "uk": "Я погоджуюся, щоб Інформаційний центр для мігрантів зберігав моє ім’я, інші дані, "
              "які я надаю, і записи про мої візити, щоб допомагати мені. Дані нікому не "
              "передаються. Я можу будь-коли попросити показати їх або видалити, а також "
              "відкликати цю згоду.",
        "ru": "Я согласен(на), чтобы Информационный центр для мигрантов хранил моё имя, другие "
              "данные, которые я сообщаю, и записи о моих визитах, чтобы помогать мне. Данные "
              "никому не передаются. Я могу в любое время попросить показать их или удалить, а "
              "также отозвать это согласие.",
    },
    "contact": {
        "lt": "Sutinku, kad centras man skambintų arba rašytų el. paštu apie mano reikalus, "
              "renginius, į kuriuos užsiregistravau, ir priminimus. Galiu bet kada atsisakyti.",
        "en": "I agree that the centre may call me or email me about my matters, events I "
              "register for, and reminders. I can say no at any time.",
        "uk": "Я погоджуюся, щоб центр телефонував мені або писав електронною поштою щодо моїх "
              "справ, заходів, на які я зареєструвався(лася), і нагадувань. Я можу будь-коли "
              "відмовитися.",
        "ru": "Я согласен(на), чтобы центр звонил мне или писал по электронной почте по моим "
              "делам, о мероприятиях, на которые я записался(лась), и с напоминаниями. Я могу "
              "в любое время отказаться.",
    },
}


def create_texts(apps, schema_editor):
    ConsentText = apps.get_model("visitors", "ConsentText")
    for purpose, texts in TEXTS.items():
        ConsentText.objects.update_or_create(
            purpose=purpose,
            version=1,
            defaults={"published_at": timezone.now(), "text": texts["lt"],
                      **{f"text_{code}": text for code, text in texts.items()}},
        )


class Migration(migrations.Migration):
    dependencies = [("visitors", "0004_consent")]
    operations = [migrations.RunPython(create_texts, migrations.RunPython.noop)]
