from celery import shared_task

from visitors import erasure


@shared_task(ignore_result=True)
def retention_apply() -> None:
    """Nightly: erase the records past the retention period the administrator set."""
    erasure.retention_apply(dry_run=False)
