from accounts.roles import ROLE_SERVICES
from consultations.models import Service


def services_served_by(user):
    """The consultation services whose queue this member of staff calls people from."""
    codes = {code for role in user.role_codes for code in ROLE_SERVICES.get(role, [])}
    return Service.objects.filter(code__in=codes, gives_consultations=True, is_active=True)
