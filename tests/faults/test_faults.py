"""Faults survived, on real services the tests start and stop themselves (spare ports)."""

import os
import threading
import time
import urllib.error
import urllib.request

import pytest
from celery import Celery
from django.core import mail
from django.db import connection
from django.urls import reverse

from accounts.roles import Role
from events.models import Registration
from notifications.models import OutgoingEmail
from notifications.services import emails_deliver_due
from tests.events.conftest import make_event
from tests.factories import staff_user, visitor
from tests.faults.conftest import Process, celery_worker, spare_port, wait_for
from visitors.models import Visit


def _forget_connections(app):
    """Drop the app's broker connections and producers, as Celery does after a fork, so
    that the next task opens a connection to the broker configured now (an earlier test may
    have left producers bound to another broker)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.redis
@pytest.mark.django_db
def test_redis_stopped_requests_succeed_and_no_email_is_lost(
    client, redis_server, settings, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from micenter.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_publish_retry")
    }
    app.conf.update(broker_url=redis_server.url, task_always_eager=False, task_publish_retry=False)
    _forget_connections(app)  # the next task goes to this broker
    try:
        event = make_event(staff_user(Role.EVENT_COORDINATOR), capacity=10)
        desk = staff_user(Role.RECEPTION)
        person = visitor()
        redis_server.stop()
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(3):
                response = client.post(
                    reverse("events:register", args=[event.pk]),
                    {
                        "register-occurrence": event.occurrences.first().pk,
                        "register-household_size": "1",
                        "register-name": f"Guest {number}",
                        "register-email": f"guest{number}@example.org",
                        "register-consent": "on",
                    },
                )
                assert response.status_code == 302
            client.force_login(desk)
            for number in range(3):
                response = client.post(
                    reverse("visitors:visit_log", args=[person.pk]),
                    {
                        "occurred_at": f"2026-01-05T10:0{number}",
                        "submission_key": f"00000000-0000-0000-0000-00000000000{number}",
                    },
                )
                assert response.status_code == 302
        assert Registration.objects.count() == 3 and Visit.objects.count() == 3
        assert OutgoingEmail.objects.filter(status="pending").count() == 3
        assert mail.outbox == []
        # The broker really was unreachable (not merely slow): each hand-over was given up.
        assert caplog.text.count("not handed to a worker") == 3

        redis_server.start()
        emails_deliver_due()  # what the every-minute sweep does
        emails_deliver_due()
        assert sorted(m.to[0] for m in mail.outbox) == [f"guest{n}@example.org" for n in range(3)]
    finally:
        app.conf.update(saved)
        _forget_connections(app)


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_leads_to_no_duplicate(redis_server, tmp_path, monkeypatch):
    folder = tmp_path / "mail"
    folder.mkdir()
    env = {
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": redis_server.url,
        "REDIS_URL": redis_server.url,
        "EMAIL_BACKEND": "tests.faults.slow_backend.SlowFileBackend",
        "SLOW_MAIL_DIR": str(folder),
        "SLOW_MAIL_SECONDS": "8",
        "MICENTER_EMAIL_CLAIM_SECONDS": "3",
    }
    email = OutgoingEmail.objects.create(
        recipient="olena@example.org", subject="Hello", body_text="Hi", language="uk"
    )
    # Celery reads CELERY_BROKER_URL from the environment before its own arguments.
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    broker = Celery(broker=redis_server.url)
    worker = celery_worker(env).start()
    try:
        broker.send_task("notifications.tasks.email_send", args=[email.pk])
        try:
            wait_for(
                lambda: OutgoingEmail.objects.get(pk=email.pk).status == "sending",
                seconds=60,
                what="the worker's claim",
            )
        except AssertionError as error:
            raise AssertionError(f"{error}; the worker said:\n{worker.output()}") from None
        worker.kill()  # in the middle of handing the message over
        assert list(folder.iterdir()) == []

        worker = celery_worker({**env, "SLOW_MAIL_SECONDS": "0"}).start()
        time.sleep(4)  # the dead worker's claim expires
        broker.send_task("notifications.tasks.emails_send_pending")
        wait_for(
            lambda: OutgoingEmail.objects.get(pk=email.pk).status == "sent",
            seconds=60,
            what="delivery after the restart",
        )
        broker.send_task("notifications.tasks.emails_send_pending")
        time.sleep(2)
    finally:
        worker.stop()
    assert len(list(folder.iterdir())) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 2


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.mark.postgres
def test_gunicorn_recovers_by_itself_after_postgresql_restarts(postgres_cluster):
    import subprocess
    import sys

    from django.conf import settings

    env = {"DATABASE_URL": postgres_cluster.url(), "DEBUG": "1", "LOG_LEVEL": "ERROR"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        check=True,
        timeout=300,
    )
    port = spare_port()
    server = Process(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "micenter.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--timeout",
            "30",
        ],
        env,
    ).start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _get(base + "/healthz") == 200, seconds=60, what="gunicorn")
        results, stop = [], threading.Event()

        def load():
            while not stop.is_set():
                results.append(
                    (time.monotonic(), _get(base + "/healthz"), _get(base + "/en/events/"))
                )
                time.sleep(0.05)

        thread = threading.Thread(target=load)
        thread.start()
        time.sleep(1)
        down = time.monotonic()
        postgres_cluster.stop()
        time.sleep(2)
        postgres_cluster.start()
        up = time.monotonic()
        wait_for(
            lambda: results and results[-1][1:] == (200, 200),
            seconds=30,
            what="the site after the restart",
        )
        recovered = time.monotonic()
        time.sleep(3)
        stop.set()
        thread.join(timeout=30)
        during = [r for r in results if down + 0.5 < r[0] < up - 0.5]
        after = [r for r in results if r[0] > recovered]
        assert during and all(r[1] in (503, None) for r in during)  # told, not hung
        assert after and all(r[1:] == (200, 200) for r in after)
        assert server.process.poll() is None  # never restarted
    finally:
        server.stop()
