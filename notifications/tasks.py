from celery import shared_task

from notifications import services


@shared_task(acks_late=True, ignore_result=True)
def email_send(email_id: int) -> None:
    services.email_deliver(email_id=email_id)


@shared_task(ignore_result=True)
def emails_send_pending() -> None:
    services.emails_deliver_due()
