from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from audit.services import audit_log
from notifications.services import email_render_and_enqueue


def _role_apply(user: User, role: str | None) -> None:
    if role is not None and role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    user.groups.set(Group.objects.filter(name=role) if role else [])
    # Only administrators get into the Django admin at all.
    user.is_staff = role == Role.ADMINISTRATOR
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("role_codes", None)


@transaction.atomic
def staff_account_create(
    *,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    language: str = settings.LANGUAGE_CODE,
    password: str | None = None,
    created_by: User | None = None,
    request=None,
) -> User:
    """Create a staff account with one role and a verified address.

    Without a password the person gets an email (in `language`) with a link to choose one.
    """
    user = User(
        email=User.objects.normalize_email(email).lower(),
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _role_apply(user, role)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    audit_log(
        actor=created_by, request=request, action="account.create", obj=user, details={"role": role}
    )
    if not password:
        staff_invitation_send(user=user)
    return user


def staff_invitation_send(*, user: User) -> None:
    """Email a staff member a link to set their password (allauth's reset-from-key page)."""
    with translation.override(user.language):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    email_render_and_enqueue(
        recipient=user.email,
        template="accounts/email/staff_invitation",
        context={"user": user, "url": settings.MICENTER_SITE_URL + path},
        language=user.language,
    )


@transaction.atomic
def account_role_set(
    *, user: User, role: str | None, changed_by: User | None = None, request=None
) -> User:
    """Give a user exactly one staff role, or none (they become a visitor)."""
    before = list(user.role_codes)
    _role_apply(user, role)
    audit_log(
        actor=changed_by,
        request=request,
        action="account.role_change",
        obj=user,
        details={"before": before, "after": [role] if role else []},
    )
    return user


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language a user chose; emails to them go out in it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def visitor_account_create(
    *, email: str, password: str, language: str = settings.LANGUAGE_CODE, verified: bool = False
) -> User:
    """A visitor's own account (as the sign-up page makes it; used by demo data and tests)."""
    user = User(email=User.objects.normalize_email(email).lower(), language=language)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user
