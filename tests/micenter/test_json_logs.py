"""LOG_FORMAT=json: one JSON object per line, carrying the request's id."""

import io
import json
import logging
import logging.config

from django.conf import settings


def test_a_request_logs_one_json_line_with_its_request_id(client):
    config = settings.LOGGING["formatters"]["json"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter_class = config["()"].rsplit(".", 1)
    module = __import__(formatter_class[0], fromlist=[formatter_class[1]])
    handler.setFormatter(
        getattr(module, formatter_class[1])(
            fmt=config["fmt"], rename_fields=config["rename_fields"]
        )
    )
    from micenter.middleware import RequestIdLogFilter

    handler.addFilter(RequestIdLogFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/en/no-such-page/")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "django.request"
    assert entry["request_id"] == response["X-Request-ID"]
    assert "Not Found" in entry["message"]


def test_gunicorn_writes_its_own_lines_as_json_with_the_request_id(tmp_path):
    """gunicorn reads ./gunicorn.conf.py: its start-up lines and one line per request."""
    from bench.common import Client, gunicorn

    out, err = tmp_path / "out", tmp_path / "err"
    with (
        out.open("w") as stdout,
        err.open("w") as stderr,
        gunicorn(
            workers=1,
            collect_static=False,
            log_level="info",
            access_log="-",
            stdout=stdout,
            stderr=stderr,
            LOG_FORMAT="json",
            LOG_LEVEL="INFO",
        ) as port,
    ):
        status, _body = Client(port).request("GET", "/ping", headers={"X-Request-ID": "abc123"})
        assert status == 200
    lines = [json.loads(line) for line in (out.read_text() + err.read_text()).splitlines()]
    assert any(entry["message"].startswith("Starting gunicorn") for entry in lines)
    access = [entry for entry in lines if entry["logger"] == "gunicorn.access"]
    mine = [entry for entry in access if "request_id=abc123" in entry["message"]]
    assert len(mine) == 1 and '"GET /ping HTTP/1.1" 200' in mine[0]["message"]
    assert all(entry["time"].endswith("+00:00") for entry in lines)
