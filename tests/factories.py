import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.services import staff_account_create

ROLE_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A visitor's account with a verified address."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"visitor{n}@example.org")
    language = "uk"
    password = factory.PostGenerationMethodCall("set_password", ROLE_PASSWORD)

    @factory.post_generation
    def verified_address(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


_counter = iter(range(1_000_000))


def staff_user(role: str, **kwargs) -> User:
    """A staff account made the way an administrator makes one."""
    kwargs.setdefault("email", f"{role}{next(_counter)}@example.org")
    kwargs.setdefault("password", ROLE_PASSWORD)
    kwargs.setdefault("language", "en")
    return staff_account_create(role=role, **kwargs)


def visitor(created_by=None, **fields):
    """A registered person, made through the desk's service."""
    from visitors.services import visitor_create

    fields.setdefault("citizenship", "UA")
    fields.setdefault("consent_method", "paper")
    if "given_name" not in fields and "family_name" not in fields:
        fields["given_name"] = "Olena"
    return visitor_create(created_by=created_by, **fields)
