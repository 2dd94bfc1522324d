"""The one JSON log line format, for Django and the worker (settings.LOGGING) and for
gunicorn's own lines (gunicorn.conf.py, which must not import Django's settings)."""


def json_formatter(*fields: str) -> dict:
    """A logging formatter config: one JSON object per line, time in ISO 8601 UTC."""
    return {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": " ".join(f"%({field})s" for field in ("levelname", "name", *fields, "message")),
        "rename_fields": {"levelname": "level", "name": "logger"},
        "timestamp": "time",
    }
