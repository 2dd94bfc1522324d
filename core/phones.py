"""Phone numbers as people type them, in one form: E.164 ("+37061234567"). A local
Lithuanian number ("8 612 34567", "612 34567") is read as Lithuanian; any other country's
needs its + and country code. Google's libphonenumber rules (the phonenumbers package)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HOME_REGION = "LT"
INVALID = _("Enter a phone number such as +370 612 34567 or 8 612 34567.")


def phone_normalise(text: str) -> str:
    """The number in E.164, or "" for nothing typed; ValidationError if it is no number."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, HOME_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
