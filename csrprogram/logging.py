"""Logging filters.

A CPR number must never reach a log line (DESIGN.md §6). Code should not log one in the first
place; this filter is the safety net for messages we do not control (e.g. a validation error
echoed by a library).
"""

import logging
import re

_CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def redact_cpr(text: str) -> str:
    return _CPR_PATTERN.sub(r"\1-XXXX", text)


class RedactCprFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_cpr(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
