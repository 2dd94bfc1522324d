from modeltranslation.translator import TranslationOptions, register

from visitors.models import ConsentText, LegalStatus


@register(LegalStatus)
class LegalStatusTranslation(TranslationOptions):
    fields = ["name"]
    required_languages = ["lt"]


@register(ConsentText)
class ConsentTextTranslation(TranslationOptions):
    fields = ["text"]
    required_languages = ["lt", "en", "uk", "ru"]
