"""What the benchmark commands share: gunicorn started with production settings on a spare
loopback port, and a small HTTP client that keeps cookies. Loopback only; every wait is
bounded."""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

HOST = "127.0.0.1"


def bench_folder() -> Path:
    """artifacts/bench/ (git-ignored), where every benchmark writes its JSON."""
    folder = Path(settings.BASE_DIR) / "artifacts" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def bench_write(name: str, results: dict) -> Path:
    path = bench_folder() / f"{name}.json"
    path.write_text(json.dumps(results, indent=2))
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def require_bench_database(connection) -> None:
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not str(name).endswith("_bench"):
        raise CommandError("Run against a PostgreSQL database named *_bench.")


def require_bench_cache() -> None:
    """Pages are measured as production serves them: through Redis (REDIS_URL, a database of
    its own), emptied first so that nothing of an earlier run is found."""
    from django.conf import settings
    from django.core.cache import cache

    if not settings.REDIS_URL:
        raise CommandError("Set REDIS_URL to a Redis database for the benchmark (make bench).")
    try:
        cache.client.get_client().flushdb()
    except Exception as error:  # any failure: no Redis to measure with
        raise CommandError(f"Redis at REDIS_URL does not answer: {error}") from error


class Client:
    """One browser: keeps its cookies, talks HTTP/1.1 over one connection."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies = SimpleCookie()

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        return response.status, content


def production_env(**extra) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "MICENTER_ALLOW_LOCAL_HOSTS": "1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@contextmanager
def gunicorn(
    *,
    workers: int = 4,
    collect_static: bool = True,
    log_level: str = "warning",
    access_log: str = "/dev/null",
    stdout=None,
    stderr=None,
    **extra_env,
):
    """gunicorn serving the project with production settings; yields the port. Its output
    goes to `stdout` and `stderr` (files) when given."""
    env = production_env(**extra_env)
    if collect_static:
        # Production settings serve hashed static files: collect them the same way.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            timeout=300,
        )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "micenter.wsgi",
            "-b",
            f"{HOST}:{port}",
            "-w",
            str(workers),
            "--access-logfile",
            access_log,
            "--log-level",
            log_level,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=stdout,
        stderr=stderr,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Client(port).request("GET", "/ping")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CommandError("gunicorn did not start within 60 s.")
            time.sleep(0.3)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
