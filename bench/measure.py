"""Measuring pages in-process with Django's test client, interleaved with the baseline.

Server time is the time the test client takes to handle the request and hand over the whole
response body (no network, no browser). The baseline and the page alternate (baseline, page,
baseline, page …), so a slow moment of the shared machine hits both and the page's ratio to
the baseline stays meaningful even when the absolute times move.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch

from bench.pages import ANONYMOUS, BASELINE, Page, Refs, Skip


def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class PageResult:
    name: str
    role: str
    url: str = ""
    status: str = "ok"  # ok, skipped, error
    note: str = ""
    times_ms: list[float] = field(default_factory=list)
    baseline_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    bytes: int | None = None

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95_ms(self) -> float | None:
        return percentile(self.times_ms, 0.95) if self.times_ms else None

    @property
    def baseline_median_ms(self) -> float | None:
        return statistics.median(self.baseline_ms) if self.baseline_ms else None

    @property
    def ratio(self) -> float | None:
        if not (self.times_ms and self.baseline_ms):
            return None
        return self.median_ms / self.baseline_median_ms

    def as_json(self) -> dict:
        return {
            "name": self.name, "role": self.role, "url": self.url, "status": self.status,
            "note": self.note, "repetitions": len(self.times_ms),
            "median_ms": _round(self.median_ms), "p95_ms": _round(self.p95_ms),
            "baseline_median_ms": _round(self.baseline_median_ms),
            "ratio": _round(self.ratio, 2), "queries": self.queries, "bytes": self.bytes,
            "times_ms": [_round(t) for t in self.times_ms],
            "baseline_ms": [_round(t) for t in self.baseline_ms],
        }


def _round(value, digits: int = 1):
    return None if value is None else round(value, digits)


# What every current browser sends.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"


def clients(users: dict) -> dict[str, Client]:
    """One logged-in test client per role (and one anonymous). Each session is verified by a
    second factor, as a team leader's or an administrator's must be (django-otp's session key
    for a confirmed TOTP device), so their pages are measured, not the two-factor redirect.
    Like a browser, each client accepts a gzip-compressed response; the sizes reported are what
    is sent."""
    made = {ANONYMOUS: Client(HTTP_ACCEPT_ENCODING=BROWSER_ACCEPT_ENCODING)}
    for role, user in users.items():
        client = Client(HTTP_ACCEPT_ENCODING=BROWSER_ACCEPT_ENCODING)
        client.force_login(user)
        verify_second_factor(client, user)
        made[role] = client
    return made


def verify_second_factor(client: Client, user) -> None:
    """Marks ``client``'s session as verified by a confirmed TOTP device of ``user`` (made
    when the user has none), the way django-otp's ``login`` does after a correct code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="bench", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class Requester:
    """Sends a page's request and reads the whole body; times it when asked."""

    def __init__(self, client: Client, page: Page, path: str, refs: Refs):
        self.client, self.page, self.path = client, page, path
        self.data = page.data(refs) if page.data else None
        self.refs = refs

    def _request(self):
        if self.page.method == "POST":
            response = self.client.post(self.path, self.data or {})
        else:
            response = self.client.get(self.path)
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content)
        response.close()
        return response, body

    def send(self):
        if self.page.prepare:
            self.page.prepare(self.refs)
        return self._request()

    def timed(self) -> float:
        """Milliseconds for one request and its whole body (``prepare`` runs before, untimed)."""
        if self.page.prepare:
            self.page.prepare(self.refs)
        started = time.perf_counter()
        response, _body = self._request()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != self.page.expect:
            raise RuntimeError(f"status {response.status_code} during the measurement")
        return elapsed


def measure_page(page: Page, *, clients_by_role: dict[str, Client], refs: Refs, repeat: int,
                 budget_seconds: float, minimum: int = 3) -> PageResult:
    """Warm up, count queries and bytes once, then time ``repeat`` interleaved pairs.

    Stops early (after ``minimum`` pairs) once the page alone has used ``budget_seconds``.
    """
    result = PageResult(name=page.name, role=page.role)
    try:
        result.url = page.url(refs)
        client = clients_by_role[page.role]
        requester = Requester(client, page, result.url, refs)
        baseline = Requester(clients_by_role[BASELINE.role], BASELINE, BASELINE.url(refs), refs)
    except NoReverseMatch as error:
        result.status, result.note = "skipped", f"no such URL yet ({error})"
        return result
    except Skip as error:
        result.status, result.note = "skipped", str(error)
        return result
    try:
        response, _body = requester.send()  # warm-up: templates, caches, connection
        if response.status_code != page.expect:
            result.status = "error"
            result.note = f"status {response.status_code}, expected {page.expect}"
            return result
        with CaptureQueriesContext(connection) as captured:
            response, body = requester.send()
        result.queries = len(captured.captured_queries)
        result.bytes = len(body)
        spent = 0.0
        for index in range(repeat):
            result.baseline_ms.append(baseline.timed())
            elapsed = requester.timed()
            result.times_ms.append(elapsed)
            spent += elapsed / 1000
            if index + 1 >= minimum and spent > budget_seconds:
                result.note = f"stopped after {index + 1} repetitions (time budget)"
                break
    except Exception as error:  # a 500 in one page must not end the whole run
        result.status = "error"
        result.note = f"{type(error).__name__}: {error}"[:300]
    return result
