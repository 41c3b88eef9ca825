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


# Pages whose query strings can hold personal data (a citizen's name typed into a search, a
# filter on a consultant): their query strings never reach the web server's access log.
PERSONAL_DATA_PATH_PREFIXES = (
    "/borgere/",
    "/forloeb/",
    "/opfoelgning/",
    "/jobaabninger/",
    "/kandidater/",
    "/portal/",
    "/admin/",
)
# The calendar feed's address is its only credential.
_CALENDAR_FEED = re.compile(r"^/kalender/[^/]+\.ics$")
REDACTED = "[skjult]"


def redact_url(url: str) -> str:
    """A request target (``/path?query``) or absolute URL as it may appear in an access log.

    On a personal-data page (``PERSONAL_DATA_PATH_PREFIXES``) the query string becomes
    ``[skjult]``; the calendar feed's secret token is hidden; any CPR-shaped number left is
    masked (``redact_cpr``). Pure string work, so the web server can use it without Django.
    """
    if not url or url == "-":
        return url
    scheme_host, rest = "", url
    if "://" in url:
        scheme, _sep, after = url.partition("://")
        host, slash, path = after.partition("/")
        scheme_host, rest = f"{scheme}://{host}", slash + path
    path, question, query = rest.partition("?")
    if _CALENDAR_FEED.match(path):
        path = f"/kalender/{REDACTED}.ics"
    if question and query and path.startswith(PERSONAL_DATA_PATH_PREFIXES):
        query = REDACTED
    return redact_cpr(f"{scheme_host}{path}{question}{query}")
