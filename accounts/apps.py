from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.contrib.auth.models import Group, Permission

        from accounts.backends import SCOPE
        from accounts.models import User
        from micenter.cache_scopes import watch

        # Roles are groups: any change to a user, a group, their permissions or authenticators.
        watch(SCOPE, User, Group, Permission, Authenticator)
