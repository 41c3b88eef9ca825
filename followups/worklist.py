"""Work that other apps put on the consultant's work list and in the reminder digest.

The work list and the digest belong to this app, but some due work lives in apps above it
(the relations app's next steps of the contact log and its follow-ups of jobs spotted at
events). Those apps register a ``WorkSource`` in their ``worklist.py`` (discovered at start-up
like the admin), so this app never imports them.

A source answers three questions, each with a fixed number of queries:

- ``open_items(user, today)``: the user's own open items, due first, for the work list;
- ``consultants_due(today)``: the ids of consultants with items not yet reminded that are due
  within the reminder window (``reminder_window_end``), for the sweep;
- ``claim(consultant_id, today)``: inside the digest's transaction, lock those items
  (``SELECT … FOR UPDATE SKIP LOCKED``), mark them reminded and return them. The digest's
  transaction commits or rolls back the marks together with the visits' (see ``services``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from csrprogram.models import User


@dataclass(frozen=True)
class WorkItem:
    """One due thing: what to do (``title``), about which company, by when, and where."""

    due_date: dt.date
    title: str
    company: str
    url: str


@dataclass(frozen=True)
class WorkSource:
    key: str
    label: Promise | str
    open_items: Callable[[User, dt.date], list[WorkItem]]
    consultants_due: Callable[[dt.date], list[int]]
    claim: Callable[[int, dt.date], list[WorkItem]]
    order: int = 100


_sources: dict[str, WorkSource] = {}


def register(source: WorkSource) -> WorkSource:
    if source.key in _sources:
        raise ValueError(f"A work source {source.key!r} is already registered.")
    _sources[source.key] = source
    return source


def _ordered() -> list[WorkSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def open_work(user: User, today: dt.date) -> list[dict]:
    """Each source with open items for ``user``: ``{"key", "label", "items"}``."""
    sections = []
    for source in _ordered():
        items = source.open_items(user, today)
        if items:
            sections.append({"key": source.key, "label": source.label, "items": items})
    return sections


def consultants_due(today: dt.date) -> set[int]:
    """Consultants with unreminded items of any source in the reminder window."""
    found: set[int] = set()
    for source in _ordered():
        found.update(source.consultants_due(today))
    return found


def consultants_due_by_source(today: dt.date) -> dict[int, set[str]]:
    """For each consultant with unreminded items in the reminder window, the keys of the
    sources that have them (one ``consultants_due`` per source): the digests claim from
    those sources only, instead of asking every source about every consultant."""
    found: dict[int, set[str]] = {}
    for source in _ordered():
        for consultant_id in source.consultants_due(today):
            found.setdefault(consultant_id, set()).add(source.key)
    return found


def claim(consultant_id: int, today: dt.date, keys: set[str] | None = None) -> list[dict]:
    """Claim every source's unreminded items of a consultant (inside a transaction); with
    ``keys``, only those sources' (``consultants_due_by_source``)."""
    sections = []
    for source in _ordered():
        if keys is not None and source.key not in keys:
            continue
        items = source.claim(consultant_id, today)
        if items:
            sections.append({"key": source.key, "label": source.label, "items": items})
    return sections


def autodiscover() -> None:
    autodiscover_modules("worklist")
