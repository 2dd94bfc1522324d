"""A mail server stand-in for the fault tests: waits SLOW_MAIL_SECONDS before "sending",
then writes each message to SLOW_MAIL_DIR (one file per Message-ID and delivery)."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0")))
        folder = Path(os.environ["SLOW_MAIL_DIR"])
        for message in email_messages:
            name = f"{message.extra_headers.get('Message-ID', 'x').strip('<>')}-{uuid.uuid4()}"
            (folder / name).write_text(message.subject)
        return len(email_messages)
