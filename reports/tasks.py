from celery import shared_task

from reports import services


@shared_task(ignore_result=True)
def report_export_run(export_id: int) -> None:
    services.report_export_run(export_id=export_id)


@shared_task(ignore_result=True)
def monthly_report_send() -> None:
    """On the first of each month (beat): last month's figures to the managers."""
    services.monthly_report_send()
