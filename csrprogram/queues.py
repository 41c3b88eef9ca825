"""The home page's work queues: what each role has to do today, each with a count.

The queues live in the apps that own the rows (visits in ``followups``, candidacies in
``placements``, certificates in ``certificates``), which this base may not import. Each app
registers its queues in ``<app>/home_queues.py`` (discovered at start-up like the admin and
the metrics): a title, the ability that decides who sees the queue, and a function that
returns the queue's count and its first ``limit`` items. The home page shows every queue the
user has the ability for; "Vis alle" opens the queue's own page (``queue_detail``) with up to
``FULL_LIMIT`` items.

Each queue function must make a fixed number of queries whatever the amount of data (a count
and one list query is the usual shape), so the home page keeps its query budget. Items are
plain ``QueueItem`` rows so one template renders every queue.

Pages that list citizens must log the read (DESIGN.md §6). The base cannot import the access
log, so an item names its citizen (``citizen_id``) and the citizens app registers the logger
with ``set_citizens_shown_logger``; the view calls ``log_citizens_shown`` once per page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.module_loading import autodiscover_modules

from csrprogram import policy

if TYPE_CHECKING:
    from csrprogram.models import User

# How many items a queue shows on the home page, and on its own page.
HOME_LIMIT = 5
FULL_LIMIT = 200


@dataclass(frozen=True)
class QueueItem:
    """One row of a queue: what it is, a date, and the link to act on it.

    ``label`` and ``detail`` are plain text (escaped by the template); ``day`` a date shown
    in the active language's format; ``action_label`` the link's text (e.g. "Registrér
    besøget"); ``warning`` marks an overdue or urgent row; ``citizen_id`` the citizen the
    row shows, for the access log.
    """

    label: str
    url: str
    action_label: str = ""
    detail: str = ""
    day: dt.date | None = None
    day_label: str = ""
    warning: bool = False
    citizen_id: int | None = None


@dataclass
class QueueResult:
    count: int
    items: list[QueueItem] = field(default_factory=list)


@dataclass(frozen=True)
class HomeQueue:
    """A queue: ``items(user, today, limit) -> QueueResult`` for users with ``ability``."""

    key: str
    title: str
    ability: str
    items: Callable[[User, dt.date, int], QueueResult]
    empty_text: str = ""
    description: str = ""
    order: int = 100


@dataclass
class ShownQueue:
    """A queue as a page shows it: the queue, its count and items, whether there is more."""

    queue: HomeQueue
    count: int
    items: list[QueueItem]

    @property
    def has_more(self) -> bool:
        return self.count > len(self.items)


_queues: dict[str, HomeQueue] = {}
_citizens_shown_logger: Callable[..., None] | None = None


def register(queue: HomeQueue) -> HomeQueue:
    """Add a queue to the home pages (ValueError for a key registered twice)."""
    if queue.key in _queues:
        raise ValueError(f"A home queue {queue.key!r} is already registered.")
    _queues[queue.key] = queue
    return queue


def queue_for(user: User, key: str) -> HomeQueue | None:
    """The queue ``key`` if ``user`` may see it, else None (the view answers 404)."""
    queue = _queues.get(key)
    if queue is None or not policy.can(user, queue.ability):
        return None
    return queue


def queues_for(user: User, *, today: dt.date, limit: int = HOME_LIMIT) -> list[ShownQueue]:
    """The queues ``user`` sees, in their order, each with its count and first items."""
    abilities = policy.abilities_of(user)
    chosen = sorted((q for q in _queues.values() if q.ability in abilities),
                    key=lambda q: (q.order, q.key))
    shown = []
    for queue in chosen:
        result = queue.items(user, today, limit)
        shown.append(ShownQueue(queue=queue, count=result.count, items=result.items))
    return shown


def shown_queue(user: User, queue: HomeQueue, *, today: dt.date,
                limit: int = FULL_LIMIT) -> ShownQueue:
    result = queue.items(user, today, limit)
    return ShownQueue(queue=queue, count=result.count, items=result.items)


def set_citizens_shown_logger(fn: Callable[..., None]) -> None:
    """Register ``fn(citizen_ids=..., actor=...)``, which logs that citizens were shown."""
    global _citizens_shown_logger
    _citizens_shown_logger = fn


def log_citizens_shown(user: User, queues: list[ShownQueue]) -> None:
    """Log one read per citizen the page shows (one INSERT; nothing when none is shown)."""
    citizen_ids = [item.citizen_id for shown in queues for item in shown.items
                   if item.citizen_id is not None]
    if citizen_ids and _citizens_shown_logger is not None:
        _citizens_shown_logger(citizen_ids=citizen_ids, actor=user)


def autodiscover() -> None:
    autodiscover_modules("home_queues")
