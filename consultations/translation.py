from modeltranslation.translator import TranslationOptions, register

from consultations.models import PartnerOrganisation, Service, Topic


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ["name"]
    required_languages = ["lt"]


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ["name"]
    required_languages = ["lt"]


@register(PartnerOrganisation)
class PartnerOrganisationTranslation(TranslationOptions):
    fields = ["services", "description"]
    required_languages = ["lt"]
