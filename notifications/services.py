"""The outbox: every email leaves through here, so none is lost and none goes twice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.models import OutgoingEmail

logger = logging.getLogger(__name__)


def _hand_to_worker(email_id: int) -> None:
    from notifications.tasks import email_send

    try:
        email_send.delay(email_id)
    except Exception:  # noqa: BLE001
        # Broker down (or, when eager, the mail server): the row stays PENDING and the
        # periodic sweep sends it later. The user's action has already succeeded.
        logger.warning("Email %s not handed to a worker now; the sweep will send it.", email_id)


@transaction.atomic
def email_enqueue(
    *,
    recipient: str,
    subject: str,
    body_text: str,
    language: str,
    body_html: str = "",
    dedupe_key: str | None = None,
) -> OutgoingEmail | None:
    """Record an email in the caller's transaction; it is sent only if that commits.

    With a `dedupe_key` that was used before, nothing new is recorded and None is returned.
    """
    email = OutgoingEmail(
        recipient=recipient,
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
        language=language,
        dedupe_key=dedupe_key,
    )
    email.full_clean(exclude=["dedupe_key"])
    if dedupe_key is not None:
        try:
            with transaction.atomic():
                email.save()
        except IntegrityError:
            return None
    else:
        email.save()
    transaction.on_commit(lambda: _hand_to_worker(email.pk))
    return email


def email_render_and_enqueue(
    *,
    recipient: str,
    template: str,
    context: dict,
    language: str,
    dedupe_key: str | None = None,
) -> OutgoingEmail | None:
    """Render `<template>_subject.txt`, `_body.txt` (and `_body.html` if it exists) in
    `language`, then enqueue the result."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body_text = render_to_string(f"{template}_body.txt", context)
        try:
            body_html = render_to_string(f"{template}_body.html", context)
        except TemplateDoesNotExist:  # the HTML part is optional
            body_html = ""
    return email_enqueue(
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        dedupe_key=dedupe_key,
    )


def _due(now):
    return Q(status=OutgoingEmail.Status.PENDING) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    ) | Q(status=OutgoingEmail.Status.SENDING, claimed_until__lt=now)


def email_deliver(*, email_id: int) -> bool:
    """Send one email if it is due and nobody else holds it. True if this call sent it.

    Runs in autocommit on purpose: the claim must be visible to other workers before the
    mail server is contacted, and the SENT mark must follow the hand-over at once.
    """
    now = timezone.now()
    claim_until = now + timedelta(seconds=settings.MICENTER_EMAIL_CLAIM_SECONDS)
    claimed = OutgoingEmail.objects.filter(_due(now), pk=email_id).update(
        status=OutgoingEmail.Status.SENDING, claimed_until=claim_until, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any mail-server failure is retried later
        gave_up = email.attempts >= settings.MICENTER_EMAIL_MAX_ATTEMPTS
        OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.SENDING).update(
            status=OutgoingEmail.Status.FAILED if gave_up else OutgoingEmail.Status.PENDING,
            # Back off: 1, 2, 4 ... minutes before the next try.
            claimed_until=None if gave_up else now + timedelta(minutes=2 ** (email.attempts - 1)),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("Email %s not sent (attempt %s): %s", email_id, email.attempts, exc)
        return False
    OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.SENDING).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
    )
    return True


def emails_deliver_due(*, limit: int = 500) -> int:
    """Send what is waiting: messages whose hand-over failed or whose worker died."""
    now = timezone.now()
    due_ids = list(
        OutgoingEmail.objects.filter(_due(now)).order_by("id").values_list("id", flat=True)[:limit]
    )
    return sum(email_deliver(email_id=email_id) for email_id in due_ids)
