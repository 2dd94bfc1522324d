from celery import shared_task

from events import services


@shared_task(ignore_result=True)
def reminders_send() -> None:
    """Hourly: remind people of sessions in the next 24 hours (each reminder goes once)."""
    services.reminders_send()


@shared_task(ignore_result=True)
def waitlists_release() -> None:
    """Hourly: from the day before a session, places held for a household that needs more
    go to the next households waiting that fit."""
    services.waitlists_release()
