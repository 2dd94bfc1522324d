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
