"""Fails unless every string of the code is translated in lt, uk and ru, none fuzzy.

It extracts the strings afresh (makemessages in a scratch copy of the project), so a string
added to the code but never put into the .po files is caught as well.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

LANGUAGES = ["lt", "uk", "ru"]
SKIP = {".venv", ".git", "node_modules", "staticfiles", "media", "artifacts", "tests"}


def _run(args, cwd=None):
    # Fixed argument lists of gettext tools and manage.py; no user input reaches them.
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603


class Command(BaseCommand):
    help = "Check that lt, uk and ru translations are complete and up to date."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        problems = []
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "project"
            shutil.copytree(base, copy, ignore=lambda d, names: [n for n in names if n in SKIP])
            result = _run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "--no-obsolete",
                    "--no-location",
                    *[f"--locale={code}" for code in LANGUAGES],
                ],
                cwd=copy,
            )
            if result.returncode:
                raise CommandError(f"makemessages failed:\n{result.stderr}")
            for code in LANGUAGES:
                committed = base / "locale" / code / "LC_MESSAGES" / "django.po"
                fresh = copy / "locale" / code / "LC_MESSAGES" / "django.po"
                if not committed.exists():
                    problems.append(f"{committed}: missing")
                    continue
                stats = _run(
                    ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(committed)]
                )
                summary = stats.stderr.strip()
                if stats.returncode or "untranslated" in summary or "fuzzy" in summary:
                    problems.append(f"{committed}: {summary}")
                # Each string in the code must have a translation in the committed file.
                compare = _run(["msgcmp", str(committed), str(fresh)])
                if compare.returncode:
                    problems.append(f"{committed}: not up to date with the code\n{compare.stderr}")
                else:
                    self.stdout.write(f"{code}: {summary}")
        if problems:
            raise CommandError("Translations incomplete:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS("Translations complete in " + ", ".join(LANGUAGES)))
