"""The demo year built in the background, so that `make run` serves at once.

`seed_demo --background` makes the demo accounts, then starts `seed_demo --year` in a
process of its own and returns; the pages say the year is still loading (a notice in the
base template, only with DEBUG on) until that process ends. The process's pid is written to
a marker file, which it removes when done, so a builder that died is not mistaken for one at work.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def marker() -> Path:
    return Path(settings.MICENTER_DEMO_DIR) / ".demo-year-building"


def log() -> Path:
    return Path(settings.MICENTER_DEMO_DIR) / ".demo-year.log"


def building() -> bool:
    """Whether a demo-year builder is at work on this machine."""
    try:
        pid = int(marker().read_text())
    except (FileNotFoundError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def start(visits: int) -> int:
    """Start building the demo year in a process of its own; returns its pid."""
    with log().open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "seed_demo",
                "--year",
                f"--visits={visits}",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C on the server does not stop it
        )
    marker().write_text(str(process.pid))
    return process.pid


def finished() -> None:
    marker().unlink(missing_ok=True)


def context(request) -> dict:
    """Template context: whether to say the demo year is still loading (DEBUG only)."""
    return {"demo_year_loading": settings.DEBUG and building()}
