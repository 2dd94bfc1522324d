"""Real races for tests on PostgreSQL: callables released together, each in its own thread
and database connection."""

import threading

from django.core.exceptions import ValidationError
from django.db import connection


def at_once(actions, *, timeout: float = 120) -> list:
    """Run the callables at the same moment; return what each returned or the
    ValidationError it raised (an answer). Any other exception fails the test."""
    barrier = threading.Barrier(len(actions))
    answers, failures = [], []

    def run(action):
        try:
            barrier.wait()
            answers.append(action())
        except ValidationError as refusal:
            answers.append(refusal)
        except Exception as error:  # noqa: BLE001 - asserted below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert failures == []
    return answers
