from celery import shared_task

from events import services


@shared_task(ignore_result=True)
def reminders_send() -> None:
    """Hourly: remind people of sessions in the next 24 hours (each reminder goes once)."""
    services.reminders_send()
