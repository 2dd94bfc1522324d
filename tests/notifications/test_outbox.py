import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from micenter.celery import app as celery_app
from notifications.models import OutgoingEmail
from notifications.services import (
    email_deliver,
    email_enqueue,
    email_render_and_enqueue,
    emails_deliver_due,
)
from notifications.tasks import email_send


def _enqueue(**kwargs):
    defaults = {
        "recipient": "a@example.org",
        "subject": "Hello",
        "body_text": "Body",
        "language": "en",
    }
    return email_enqueue(**(defaults | kwargs))


@pytest.mark.django_db
def test_email_is_sent_once_the_action_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.sent_at is not None
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<outbox-{email.pk}@micenter>"


@pytest.mark.django_db
def test_email_of_a_rolled_back_action_is_never_sent(django_capture_on_commit_callbacks):
    class ActionFailed(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ActionFailed),
        transaction.atomic(),
    ):
        _enqueue()
        raise ActionFailed
    assert OutgoingEmail.objects.count() == 0
    emails_deliver_due()
    assert mail.outbox == []


@pytest.mark.django_db
def test_broker_unreachable_action_succeeds_and_email_goes_later_once(
    django_capture_on_commit_callbacks,
):
    celery_app.conf.task_always_eager = False
    old_url = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens on port 9
    try:
        with django_capture_on_commit_callbacks(execute=True):
            email = _enqueue()
    finally:
        celery_app.conf.broker_url = old_url
        celery_app.conf.task_always_eager = True
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert mail.outbox == []
    # The periodic sweep (Celery beat, once the broker is back) sends it ...
    assert emails_deliver_due() == 1
    # ... and neither a second sweep nor the original task arriving late sends it again.
    assert emails_deliver_due() == 0
    email_send(email.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_failed_send_is_retried_later_not_lost(settings, django_capture_on_commit_callbacks):
    locmem = settings.MAILERS
    settings.MAILERS = {
        "default": {"BACKEND": "tests.notifications.failing_backend.FailingBackend"}
    }
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.attempts == 1 and "refused" in email.last_error
    settings.MAILERS = locmem
    # Not before its back-off time ...
    assert emails_deliver_due() == 0
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_until=None)
    # ... then it goes.
    assert emails_deliver_due() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_dedupe_key_sends_at_most_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _enqueue(dedupe_key="registration:1:confirmation") is not None
        assert _enqueue(dedupe_key="registration:1:confirmation") is None
    assert OutgoingEmail.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_message_claimed_by_a_dead_worker_is_taken_over(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        email = _enqueue()
    from datetime import timedelta

    from django.utils import timezone

    # A worker claimed it and died before sending: the claim is still running ...
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENDING, claimed_until=timezone.now() + timedelta(minutes=5)
    )
    assert emails_deliver_due() == 0
    # ... and once it has run out, another worker sends the message.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert emails_deliver_due() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_rendered_in_the_recipients_language(django_capture_on_commit_callbacks):
    from tests.factories import staff_user

    user = staff_user("reception", password=None, language="uk")
    email = OutgoingEmail.objects.get(recipient=user.email)
    assert email.language == "uk"
    assert email.subject == "Ваш обліковий запис працівника MiCenter"
    with django_capture_on_commit_callbacks(execute=True):
        email_render_and_enqueue(
            recipient="b@example.org",
            template="accounts/email/staff_invitation",
            context={"user": user, "url": "http://x"},
            language="en",
        )
    assert mail.outbox[-1].subject == "Your MiCenter staff account"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_a_message_once():
    """Eight workers race for the same message on real PostgreSQL: one sends it."""
    with transaction.atomic():
        email = _enqueue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.PENDING, sent_at=None
    )
    mail.outbox.clear()
    barrier = threading.Barrier(8)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(email_deliver(email_id=email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [False] * 7 + [True]
    assert len(mail.outbox) == 1
