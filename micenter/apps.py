import logging

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class MicenterConfig(AppConfig):
    default = True
    name = "micenter"
    verbose_name = _("MiCenter portal")

    def ready(self):
        # Django 6.1's "- Select an option -" has no Lithuanian, Ukrainian or Russian
        # translation yet; a dash reads the same in every language (as Django documents,
        # this is set in ready()).
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = "—"
        # Python's warnings become log lines ("py.warnings"), formatted like every other
        # line: one JSON object each with LOG_FORMAT=json.
        logging.captureWarnings(True)
        # Dates stored out of Python's range (year 1 BC, 10000) read clamped, not as a 500.
        from core import stored_dates

        stored_dates.install()


class MicenterAdminConfig(admin_apps.AdminConfig):
    """The Django admin with our site class (administrators only, allauth login)."""

    default = False
    default_site = "micenter.admin_site.MicenterAdminSite"
