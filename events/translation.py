from modeltranslation.translator import TranslationOptions, register

from events.models import TRANSLATED_FIELDS, Event


@register(Event)
class EventTranslation(TranslationOptions):
    fields = TRANSLATED_FIELDS
    required_languages = ["lt"]
