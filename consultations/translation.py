from modeltranslation.translator import TranslationOptions, register

from consultations.models import Service


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ["name"]
    required_languages = ["lt"]
