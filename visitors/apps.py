from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitorsConfig(AppConfig):
    name = "visitors"
    verbose_name = _("Visitors and visits")

    def ready(self):
        from accounts.models import User
        from micenter.cache_scopes import watch
        from visitors.models import QueueEntry, Visit, Visitor

        # The desk: today's visits (with who logged them), the queue and the search.
        watch("desk", Visit, Visitor, QueueEntry, User)
