"""Documents as due work: the lease and the back-off shared by every document the product makes.

A document to render or an email to send is a row state (DESIGN.md §5, STYLE.md 15). When the
work is queued, its row's "next attempt" moves a lease ahead, so the documents sweep queues it
again only if it is still not done by then (the broker lost it, a worker was killed). A failure
moves the next attempt further, doubling each time, until ``DOCUMENT_MAX_ATTEMPTS`` failures:
then the row is marked failed and waits for a person (the staff's retry action).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

DOCUMENT_MAX_ATTEMPTS = 5
ERROR_MAX_LENGTH = 2000


def document_lease_until(now: dt.datetime) -> dt.datetime:
    """When queued work that is still not done should be queued again (now + the retry delay)."""
    return now + dt.timedelta(seconds=settings.CSR_DOCUMENT_RETRY_SECONDS)


def document_next_attempt(*, failures: int, now: dt.datetime) -> dt.datetime | None:
    """The next attempt after ``failures`` failed ones, or None once the cap is reached.

    Back-off: the retry delay (CSR_DOCUMENT_RETRY_SECONDS, default 300 s), doubled after each
    failure: 5, 10, 20, 40 minutes by default, then give up after the fifth failure.
    """
    if failures >= DOCUMENT_MAX_ATTEMPTS:
        return None
    delay = settings.CSR_DOCUMENT_RETRY_SECONDS * 2 ** max(failures - 1, 0)
    return now + dt.timedelta(seconds=delay)


def failure_reason(error: BaseException) -> str:
    """The reason recorded on the row: the exception's type and message, cut to fit."""
    return f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
