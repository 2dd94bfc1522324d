"""Forms sent twice (a double click, a retry on a slow connection) save one record: each form
carries a one-time `submission_key`, unique in the database."""

from django.db import IntegrityError, models, transaction


def save_once(record: models.Model, submission_key) -> tuple[models.Model, bool]:
    """Insert `record` (its submission_key already set); if the same form was saved by a
    simultaneous request, return that record instead. Returns (record, created).

    Without a key there is nothing to collide with, and no savepoint is paid for."""
    if submission_key is None:
        record.save()
        return record, True
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # The same form arrived twice at once: the other request saved it. Any other broken
        # constraint is not ours to hide.
        earlier = type(record).objects.filter(submission_key=submission_key).first()
        if earlier is None:
            raise
        return earlier, False
    return record, True
