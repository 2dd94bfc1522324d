"""Real Chromium (Debian's) driven by Playwright against the live test server.

Screenshots land in artifacts/screenshots/ (git-ignored) to be looked at; every page a
journey visits is checked with axe-core for serious and critical accessibility problems.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.servers.basehttp import WSGIRequestHandler

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("MICENTER_CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core is injected as a script; our CSP would rightly refuse it.
    return {**browser_context_args, "bypass_csp": True, "locale": "lt-LT"}


@pytest.fixture
def phone_context_args():
    return {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


_axe = Axe()


@pytest.fixture
def look(request):
    """look(page, name): screenshot the page and fail on serious accessibility problems."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _look(page, name):
        page.screenshot(
            path=SCREENSHOTS / f"{request.node.originalname}-{name}.png", full_page=True
        )
        results = _axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"Accessibility problems on {page.url}: {serious}"

    return _look


@pytest.fixture(autouse=True, scope="session")
def _one_request_per_connection():
    """The live server answers each request on a connection of its own and closes it (HTTP/1.0,
    as Django's own test server did before keep-alive). Chromium otherwise keeps connections
    open past the end of a test; the thread serving one then closes the test's shared
    in-memory SQLite connection after the test has handed it back, and leaves its socket
    open. (Only the live server of the browser tests; the product never runs this server.)"""
    original = WSGIRequestHandler.protocol_version
    WSGIRequestHandler.protocol_version = "HTTP/1.0"
    yield
    WSGIRequestHandler.protocol_version = original
