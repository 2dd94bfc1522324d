"""gunicorn's settings wherever it starts the site (make prod, the Procfile, systemd, the
benchmarks): it reads ./gunicorn.conf.py by itself. With LOG_FORMAT=json its own lines (start,
workers, one per request) are JSON objects like Django's, and each request's line carries the
X-Request-ID the site answered with."""

import os

from micenter.log_format import json_formatter

access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'

if os.environ.get("LOG_FORMAT") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": json_formatter("process")},
        "handlers": {
            # gunicorn's defaults send the root logger to "console".
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "error": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
