from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """An email the portal owes someone: written in the same transaction as its cause.

    A worker claims it (status SENDING, with a deadline), hands it to the mail server and
    marks it SENT. A claim whose deadline passed is taken to be a dead worker's and retried.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # Set by callers that must send something at most once (e.g. "registration 12 reminder").
    # NULL, not "": many messages have no key, and UNIQUE lets NULLs repeat.
    dedupe_key = models.CharField(  # noqa: DJ001
        _("deduplication key"), max_length=128, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="outgoingemail_dedupe_key_unique"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="outgoingemail_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_until"])]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"

    @property
    def message_id(self) -> str:
        # Stable per row: should a send ever be repeated after a crash, mail servers and
        # clients see the same Message-ID and can fold the two.
        return f"<outbox-{self.pk}@micenter>"
