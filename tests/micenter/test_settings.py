"""Production settings refuse to start unsafe, and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "Z9-_x" * 10


def _manage(*args, **env):
    # A clean environment, as on a server (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_missing_secret_key():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="micenter.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = _manage(
        "check",
        DEBUG="0",
        ALLOWED_HOSTS="micenter.example.org",
        SECRET_KEY="dev-only-not-secret-micenter",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_in_production():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="micenter.example.org",
        EMAIL_URL="smtp+tls://portal:secret@mail.example.org:587",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
