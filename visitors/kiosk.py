"""Self check-in at the entrance: a personal QR code, or name and year of birth."""

import segno
from django.core import signing

from visitors import search_keys
from visitors.models import Visitor, VisitorSearchKey

_SALT = "micenter.kiosk.checkin"


def checkin_token(visitor: Visitor) -> str:
    """What the person's QR code holds: their record number, signed so it cannot be guessed."""
    return signing.Signer(salt=_SALT).sign(f"v{visitor.pk}")


def checkin_qr_svg(visitor: Visitor) -> str:
    return segno.make(checkin_token(visitor), error="m").svg_inline(scale=6, border=2)


def current_visitors():
    return Visitor.objects.filter(erased_at__isnull=True, merged_into__isnull=True)


def visitor_from_token(token: str) -> Visitor | None:
    try:
        value = signing.Signer(salt=_SALT).unsign(token.strip())
    except signing.BadSignature:
        return None
    if not value.startswith("v") or not value[1:].isdigit():
        return None
    return current_visitors().filter(pk=int(value[1:])).first()


def visitor_from_name(*, given_name: str, family_name: str, birth_year: int) -> Visitor | None:
    """The one person whose names (any spelling, no typos) and year of birth match, or None
    when nobody or more than one does: the kiosk never guesses between people."""
    candidates = current_visitors().filter(birth_year=birth_year)
    for name in (given_name, family_name):
        keys = search_keys.readings(name)
        if not keys:
            return None
        candidates = candidates.filter(
            pk__in=VisitorSearchKey.objects.filter(key__in=keys, exact=True).values("visitor")
        )
    found = list(candidates[:2])
    return found[0] if len(found) == 1 else None
