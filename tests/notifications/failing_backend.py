from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message (a stand-in for an SMTP outage)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server refused the connection")
