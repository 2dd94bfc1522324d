from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from audit.models import AuditEntry


def _client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind the reverse proxy REMOTE_ADDR is the proxy itself; only then is its X-Real-IP
    # header to be believed (a client could send one of its own).
    if settings.MICENTER_TRUST_X_REAL_IP and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    actor=None,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    request=None,
    reason: str = "",
    details: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit log: who did `action` to which object, from where, why.

    `obj` (a model instance) fills object type and id; `request` fills the IP address and,
    when no actor is given, the signed-in user.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        ip_address=_client_ip(request),
        reason=reason,
        details=details or {},
    )
    # The actor is a user the caller already holds, and the database checks the reference:
    # asking it whether that user exists would be one more query on every write.
    entry.full_clean(exclude=["actor"])
    entry.save()  # one INSERT: atomic by itself, no savepoint needed
    return entry


def audit_log_reads(*, request=None, actor=None, action: str, object_type: str, object_ids) -> None:
    """One entry per record read (a list of confidential records), in a single query."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    ip_address = _client_ip(request)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor if actor is not None and actor.is_authenticated else None,
                action=action,
                object_type=object_type,
                object_id=str(pk),
                ip_address=ip_address,
            )
            for pk in object_ids
        ]
    )


def audit_log_expire(*, months: int, now=None) -> int:
    """Remove the entries older than `months` (the log's retention period); returns how many.
    Searches typed at the desk are in the log with the rest and go with it."""
    cutoff = (now or timezone.now()) - timedelta(days=round(months * 30.44))
    return AuditEntry.objects.filter(at__lt=cutoff).expire()
