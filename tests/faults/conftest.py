"""Services the fault tests start and stop themselves, on spare ports, so that stopping
them disturbs nothing else: a Redis server, a throwaway PostgreSQL cluster, Celery workers
and gunicorn."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, seconds=30, what="a service"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not come up within {seconds} s")


def _answers(port) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


class RedisServer:
    def __init__(self):
        self.port = spare_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (apt-get install redis-server)"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: _answers(self.port), what="redis-server")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


class Process:
    """A child process (Celery worker, gunicorn) with the project's environment."""

    def __init__(self, args, env):
        self.args, self.env, self.process = args, env, None
        self.said = ""
        # Its output, for the failure message when it misbehaves.
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - lives with the process

    def output(self) -> str:
        if self.log.closed:
            return self.said
        self.log.seek(0)
        return self.log.read()[-3000:]

    def _ended(self) -> None:
        """The process is gone: keep the end of what it said, and close its log."""
        if not self.log.closed:
            self.said = self.output()
            self.log.close()

    def start(self):
        self.process = subprocess.Popen(
            self.args,
            cwd=settings.BASE_DIR,
            env={**os.environ, **self.env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self._ended()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._ended()


def celery_worker(env) -> Process:
    return Process(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "micenter",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
    )


class PostgresCluster:
    """initdb and pg_ctl as the postgres user, in a folder of its own."""

    def __init__(self):
        self.port = spare_port()
        # Not under pytest's tmp_path: the postgres user must be able to reach it.
        self.root = Path(tempfile.gettempdir()) / f"micenter-pg-{uuid.uuid4().hex[:8]}"
        self.data = self.root / "data"

    def _as_postgres(self, *args, check=True):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, args)],
            check=check,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def url(self, name="micenter") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create(self):
        self.root.mkdir(mode=0o755)
        shutil.chown(self.root, "postgres", "postgres")
        self._as_postgres(
            PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync"
        )
        self.start()
        self._as_postgres(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "micenter")

    def start(self):
        self._as_postgres(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-w",
            "-l",
            self.root / "log",
            "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )

    def stop(self):
        self._as_postgres(
            PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False
        )

    def destroy(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def postgres_cluster():
    if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None:
        pytest.fail("PostgreSQL 15 server binaries are needed (apt-get install postgresql)")
    cluster = PostgresCluster()
    cluster.create()
    yield cluster
    cluster.destroy()
