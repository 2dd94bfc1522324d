"""`python -m bench search|registration|report|pages [options]`: one benchmark, with
Django set up as manage.py would (settings from the environment, as for the server)."""

import importlib
import os
import sys

import django

NAMES = ("search", "registration", "report", "pages")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in NAMES:
        sys.exit(f"usage: python -m bench {{{'|'.join(NAMES)}}} [options]")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "micenter.settings")
    django.setup()
    command = importlib.import_module(f"bench.{sys.argv[1]}").Command()
    command.run_from_argv(["bench", *sys.argv[1:]])


if __name__ == "__main__":
    main()
