"""A file email backend for the worker tests: it can be slow, so a test can kill a worker
while it is sending.

Before sending, it writes a ``*.sending`` marker, then waits ``CSR_TEST_MAIL_DELAY`` seconds;
only then is the message written (one ``*.log`` file per message) to ``CSR_TEST_MAIL_DIR``.
A worker killed during the wait has therefore sent nothing.
"""

import email
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend

SEPARATOR = "-" * 79


class SlowFileBackend(EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["CSR_TEST_MAIL_DIR"]
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        Path(self.file_path, f"{uuid.uuid4().hex}.sending").touch()
        time.sleep(float(os.environ.get("CSR_TEST_MAIL_DELAY", "0")))
        return super().send_messages(email_messages)


def sent_messages(directory: Path) -> list[email.message.Message]:
    messages = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_text().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.lstrip("\n")))
    return messages


def reminders_by_recipient(directory: Path) -> dict[str, list[int]]:
    """Visit ids in the X-CSR-Visits header of each message, per recipient (with repeats)."""
    found: dict[str, list[int]] = {}
    for message in sent_messages(directory):
        for recipient in message["To"].split(","):
            ids = [int(pk) for pk in message["X-CSR-Visits"].split(",")]
            found.setdefault(recipient.strip(), []).extend(ids)
    return found
