from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.Model):
    """Something the centre offers that a visit can be for: legal, career or psychological
    help (with consultations and a waiting queue), Lithuanian lessons, groups and events.

    Names are translated (modeltranslation: name_lt, name_en, name_uk, name_ru).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    gives_consultations = models.BooleanField(
        _("gives consultations"),
        default=False,
        help_text=_("Visitors asking for it wait in its queue for a consultant."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name
