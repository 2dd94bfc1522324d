"""The right to erasure, and the retention rule that applies it by itself.

Erasure blanks a person everywhere their data sits (their record, search keys, visit notes,
their account, audit details, emails kept for sending) and keeps the facts reports count,
which live on the visits. A report for any past period gives the same totals afterwards.

Their names and contacts written into other records are blanked too (visitors.redaction):
every word of their names in the records they share with others (a group session's notes, a
message to an event they registered for), their full names and contacts anywhere else (the
notes of other people's visits and consultations, event texts, emails, the audit log).
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_log, audit_log_expire
from consultations.services import consultations_erase_personal
from events.services import registrations_erase_personal
from notifications.models import OutgoingEmail
from visitors.models import (
    ErasureRequest,
    PrivacySettings,
    Visit,
    Visitor,
    VisitorSearchKey,
)
from visitors.redaction import Mentions
from visitors.services import SEARCH_ACTION

ERASED_EMAIL = "erased-{pk}@invalid.example"


def _erase_account(user) -> list[str]:
    """Make a visitor's own account unusable and anonymous; returns its old addresses."""
    addresses = [
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    ]
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = ERASED_EMAIL.format(pk=user.pk)
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    return addresses


@transaction.atomic
def visitor_erase(*, visitor: Visitor, erased_by=None, reason: str, request=None) -> Visitor:
    """Erase one person's personal data for good. Their visits stay, as anonymous facts."""
    visitor = Visitor.objects.select_for_update().get(pk=visitor.pk)
    if visitor.erased_at:
        return visitor
    addresses = [visitor.email] if visitor.email else []
    account_id = visitor.user_id
    # Their merged-away duplicates hold their old spellings: erased with them.
    records = [visitor, *Visitor.objects.filter(merged_into=visitor)]
    mentions = _mentions_of(records, visitor.user if visitor.user_id else None)
    if visitor.user_id:
        addresses += _erase_account(visitor.user)
    _erase_records(records)
    ids = [record.pk for record in records]
    VisitorSearchKey.objects.filter(visitor__in=ids).delete()
    Visit.objects.filter(visitor__in=ids).exclude(note="").update(note="")
    # First: it adds the names and contacts on their registrations to `mentions`.
    registrations_erase_personal(
        visitor_ids=ids,
        user_ids=[account_id] if account_id else [],
        emails=addresses,
        mentions=mentions,
    )
    consultations_erase_personal(visitor_ids=ids, mentions=mentions)
    mentions.redact_records(Visit.objects.exclude(note=""), ["note"])
    emails = {address.lower() for address in addresses if address} | mentions.emails
    _erase_audit(ids, emails, mentions)
    OutgoingEmail.objects.filter(recipient__in=emails).update(
        recipient=ERASED_EMAIL.format(pk="person"), subject="", body_text="", body_html=""
    )
    mentions.redact_records(OutgoingEmail.objects.all(), ["subject", "body_text", "body_html"])
    ErasureRequest.objects.filter(visitor=visitor, status=ErasureRequest.Status.PENDING).update(
        status=ErasureRequest.Status.DONE, decided_at=timezone.now(), decided_by=erased_by
    )
    audit_log(
        actor=erased_by,
        request=request,
        action="visitor.erase",
        obj=visitor,
        reason=mentions.redact(reason),
    )
    return visitor


def _erase_records(records: list[Visitor]) -> None:
    for record in records:
        for name in (
            "given_name",
            "family_name",
            "other_names",
            "gender",
            "citizenship",
            "preferred_language",
            "phone",
            "email",
            "search_text",
            "phone_digits",
        ):
            setattr(record, name, "")
        record.birth_year = record.birth_date = record.arrival_year = None
        record.legal_status = None
        record.household_size = 1
        record.user = None
        record.erased_at = timezone.now()
        record.save()


def _erase_audit(ids: list[int], emails: set[str], mentions: Mentions) -> None:
    """Redact the audit entries about them or naming them (who did what, and when, stay)."""
    about = Q(object_type="visitors.visitor", object_id__in=[str(pk) for pk in ids])
    # Desk searches that listed them: the query typed may be their name.
    for pk in ids:
        about |= Q(action=SEARCH_ACTION, details__listed__icontains=f",{pk},")
    for address in emails:
        about |= Q(details__email__iexact=address)
    AuditEntry.objects.filter(about | Q(pk__in=_audit_mentioning(mentions))).redact()


def _mentions_of(records: list[Visitor], user) -> Mentions:
    """Their names and contacts as their records (and their account) hold them."""
    mentions = Mentions()
    for record in records:
        mentions.add(
            names=[record.given_name, record.family_name, *record.other_names.splitlines()],
            phones=[record.phone],
            emails=[record.email],
        )
    if user is not None:
        mentions.add(
            names=[user.first_name, user.last_name],
            emails=[
                user.email,
                *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
            ],
        )
    return mentions


def _audit_mentioning(mentions: Mentions) -> list[int]:
    """Audit entries that name them: a reason with their full name or contacts, or a search
    at the desk for one of their names (which listed nobody, or someone else)."""
    found = []
    searches = AuditEntry.objects.filter(action=SEARCH_ACTION).filter(
        mentions.lookup("details__query")
    )
    for pk, query in searches.values_list("pk", "details__query"):
        if isinstance(query, str) and mentions.redact(query) != query:
            found.append(pk)
    for pk, reason in AuditEntry.objects.filter(mentions.lookup("reason")).values_list(
        "pk", "reason"
    ):
        if mentions.redact_full_names(reason) != reason:
            found.append(pk)
    return found


@transaction.atomic
def erasure_request(*, visitor: Visitor, requested_by, request=None) -> ErasureRequest:
    """Ask for a person's erasure (the person themselves, or the desk on their behalf)."""
    if visitor.erased_at:
        raise ValidationError(_("This record has already been erased."))
    pending = ErasureRequest.objects.filter(visitor=visitor, status=ErasureRequest.Status.PENDING)
    if pending.exists():
        return pending.get()
    erasure = ErasureRequest.objects.create(visitor=visitor, requested_by=requested_by)
    audit_log(actor=requested_by, request=request, action="erasure.request", obj=erasure)
    return erasure


@transaction.atomic
def erasure_decide(*, erasure: ErasureRequest, approve: bool, decided_by, request=None):
    """An administrator approves (the person is erased at once) or rejects a request."""
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != ErasureRequest.Status.PENDING:
        return erasure
    if approve:
        visitor_erase(
            visitor=erasure.visitor,
            erased_by=decided_by,
            request=request,
            reason=_("Erasure request #%(number)s approved") % {"number": erasure.pk},
        )
    else:
        erasure.status = ErasureRequest.Status.REJECTED
        erasure.decided_at = timezone.now()
        erasure.decided_by = decided_by
        erasure.save()
        audit_log(actor=decided_by, request=request, action="erasure.reject", obj=erasure)
    erasure.refresh_from_db()
    return erasure


def visitors_past_retention(*, now=None):
    """Current records whose last contact is older than the retention period (none if unset)."""
    months = PrivacySettings.current().retention_months
    if not months:
        return Visitor.objects.none()
    cutoff = (now or timezone.now()) - timedelta(days=round(months * 30.44))
    return Visitor.objects.filter(erased_at__isnull=True, merged_into__isnull=True).filter(
        Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, created_at__lt=cutoff)
    )


def retention_apply(*, dry_run: bool, now=None) -> list[int]:
    """Erase everyone past the retention period, and remove the audit log's entries past its
    own (or, dry run, only say who would be erased). Returns the ids of the people."""
    ids = list(visitors_past_retention(now=now).order_by("pk").values_list("pk", flat=True))
    if not dry_run:
        privacy = PrivacySettings.current()
        for pk in ids:
            visitor_erase(
                visitor=Visitor(pk=pk), reason=f"retention: {privacy.retention_months} months"
            )
        audit_log_expire(months=privacy.audit_log_months, now=now)
    return ids
