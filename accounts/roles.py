"""The centre's staff roles: what each may do and where each starts its day.

A role is a Django Group named by the role's code; its permissions are set by a data
migration (accounts/migrations/0002_roles.py). A user with no role is a visitor.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Front desk")
    LEGAL_ADVISER = "legal_adviser", _("Legal adviser")
    CAREER_ADVISER = "career_adviser", _("Career adviser")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    EVENT_COORDINATOR = "event_coordinator", _("Event coordinator")
    MANAGER = "manager", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    # A tablet at the entrance, not a person: it can check visitors in and nothing else.
    KIOSK = "kiosk", _("Entrance kiosk")


# Capabilities are permissions declared on accounts.User (see its Meta); later apps add
# their model permissions to the roles in their own data migrations.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.RECEPTION: ["accounts.use_front_desk"],
    Role.LEGAL_ADVISER: ["accounts.give_consultations"],
    Role.CAREER_ADVISER: ["accounts.give_consultations"],
    Role.PSYCHOLOGIST: ["accounts.give_consultations"],
    Role.EVENT_COORDINATOR: ["accounts.coordinate_events"],
    Role.MANAGER: ["accounts.view_reports"],
    Role.KIOSK: ["accounts.use_kiosk"],
    Role.ADMINISTRATOR: [
        "accounts.administer_centre",
        "accounts.view_reports",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "audit.view_auditentry",
        "notifications.view_outgoingemail",
    ],
}

# The services whose waiting queue each role serves (calls people in from).
ROLE_SERVICES: dict[str, list[str]] = {
    Role.RECEPTION: ["information"],
    Role.LEGAL_ADVISER: ["legal"],
    Role.CAREER_ADVISER: ["career"],
    Role.PSYCHOLOGIST: ["psychological"],
}

# Where each role lands after signing in; the first role a user holds in this order wins.
ROLE_START_URL: dict[str, str] = {
    Role.ADMINISTRATOR: "accounts:administration",
    Role.MANAGER: "reports:dashboard",
    Role.RECEPTION: "visitors:desk",
    Role.LEGAL_ADVISER: "consultations:worklist",
    Role.CAREER_ADVISER: "consultations:worklist",
    Role.PSYCHOLOGIST: "consultations:worklist",
    Role.EVENT_COORDINATOR: "events:staff_home",
    Role.KIOSK: "visitors:kiosk",
}
VISITOR_START_URL = "accounts:my_account"

# The staff navigation: each entry shows only to users holding its permission.
NAVIGATION: list[tuple[str, str, object]] = [
    ("accounts.use_front_desk", "visitors:desk", _("Front desk")),
    ("accounts.give_consultations", "consultations:worklist", _("Consultations")),
    ("events.view_event", "events:staff_home", _("Events and groups")),
    ("accounts.view_reports", "reports:dashboard", _("Reports")),
    ("accounts.administer_centre", "accounts:administration", _("Administration")),
]
