from modeltranslation.translator import TranslationOptions, register

from visitors.models import LegalStatus


@register(LegalStatus)
class LegalStatusTranslation(TranslationOptions):
    fields = ["name"]
    required_languages = ["lt"]
