"""iCalendar (RFC 5545) text pieces shared by every calendar the product writes: the
consultants' visit feed (``followups/ical.py``) and the event invitations (``relations``).

Written by hand rather than with a library: the documents are small, and escaping and folding
are the only rules that need care.
"""

from __future__ import annotations

import datetime as dt

PRODID = "-//Jobcenter//CSR-programmet//DA"


def escape(text: str) -> str:
    """``text`` as an iCalendar TEXT value (backslash, ``;``, ``,`` and line breaks escaped)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        limit = 75 if not parts else 74
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def ical_date(value: dt.date) -> str:
    """A DATE value, ``YYYYMMDD``; isoformat keeps four digits for any year."""
    return value.isoformat().replace("-", "")


def ical_utc(value: dt.datetime) -> str:
    """An aware datetime as a UTC DATE-TIME value, ``YYYYMMDDTHHMMSSZ``."""
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def join_lines(lines: list[str]) -> str:
    """The document: each content line folded, CRLF-terminated."""
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
