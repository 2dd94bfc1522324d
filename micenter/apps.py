from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class MicenterConfig(AppConfig):
    default = True
    name = "micenter"
    verbose_name = _("MiCenter portal")


class MicenterAdminConfig(admin_apps.AdminConfig):
    """The Django admin with our site class (administrators only, allauth login)."""

    default = False
    default_site = "micenter.admin_site.MicenterAdminSite"
