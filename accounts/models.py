from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: a visitor (no role) or a member of staff (one or more roles)."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        permissions = [
            ("use_front_desk", _("Can use the front desk")),
            ("give_consultations", _("Can give and record consultations")),
            ("coordinate_events", _("Can coordinate events and groups")),
            ("view_reports", _("Can see reports and statistics")),
            ("administer_centre", _("Can administer accounts and settings")),
            ("use_kiosk", _("Can run the entrance kiosk")),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @cached_property
    def role_codes(self) -> list[str]:
        """The codes of this user's staff roles, in the order Role declares them."""
        if not self.pk:
            return []
        if hasattr(self, "access_roles"):  # read with the user (accounts.authentication)
            held = set(filter(None, (self.access_roles or "").split(",")))
        else:
            held = set(self.groups.values_list("name", flat=True))
        return [role.value for role in Role if role.value in held]

    @cached_property
    def has_authenticator_app(self) -> bool:
        """Whether two-step sign-in is set up (staff must have it in production)."""
        from allauth.mfa.models import Authenticator

        if hasattr(self, "access_authenticator_app"):  # read with the user
            return self.access_authenticator_app
        return self.authenticator_set.filter(type=Authenticator.Type.TOTP).exists()

    @property
    def is_centre_staff(self) -> bool:
        """A member of staff (not a visitor, and not the entrance kiosk)."""
        return any(code != Role.KIOSK for code in self.role_codes)

    @property
    def is_kiosk(self) -> bool:
        return self.role_codes == [Role.KIOSK]

    @property
    def role_labels(self) -> list[str]:
        return [Role(code).label for code in self.role_codes]
