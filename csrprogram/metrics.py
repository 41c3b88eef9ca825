"""The metrics registry behind programme targets and the dashboard.

Each app that counts something defines its metrics in its own ``metrics.py`` and registers
them here; the registry is filled by ``autodiscover()`` the way the admin is, so the base never
imports the apps above it. A target names a metric by its key.

A metric answers for a programme and an inclusive date range (dates in Europe/Copenhagen):
``daily()`` gives the number of events per day, computed with one aggregate query, and
``records_url()`` links to the list of records behind the number.

Every metric has a one-sentence ``description``: its definition, in the seeds' words. It is
shown wherever the figure is (dashboard, target form, "Mine tal", the exports and the funder
report), so a number never travels without what it counts.

A *share* (``is_share``) is a percentage: ``ratio()`` gives its numerator and denominator, a
target on it is a percentage and is compared with the share, never with a sum of daily counts.
A metric whose events are known only some months after they happen (retention at 3 months)
says so with ``lag_months()``: the dashboard then waits that long before calling a deadline
missed, and projects only from the part of the period that can already be known.

Breakdowns are optional: a metric lists the dimensions it can split its count by in
``breakdowns`` (see ``Dimension``) and answers ``breakdown()`` with one aggregate query per
dimension. The dashboard shows a dimension's table only for the metrics that provide it, and a
consultant's own figures are that consultant's row of the ``consultant`` breakdown.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from csrprogram.choices import TargetGroup

if TYPE_CHECKING:
    from django.db.models import Aggregate, QuerySet
    from django.utils.functional import Promise

    from csrprogram.models import Programme


class Dimension(StrEnum):
    """What a count can be broken down by."""

    CONSULTANT = "consultant"
    TARGET_GROUP = "target_group"
    COMPANY = "company"


@dataclass(frozen=True)
class BreakdownRow:
    """One line of a breakdown.

    ``key`` is stable: for ``consultant`` the user's pk as a string (a consultant's own
    figures are found by it), for ``company`` the company's pk, for ``target_group`` the
    TargetGroup value. ``url`` links to the records behind ``count``, if there is a list;
    ``url_for(key)`` gives that link on demand instead (``link()``), so a breakdown of
    thousands of companies reverses URLs only for the rows shown (issue 14).
    """

    key: str
    label: str
    count: int
    url: str | None = None
    url_for: Callable[[str], str | None] | None = field(default=None, repr=False,
                                                         compare=False)

    def link(self) -> str | None:
        """``url``, or ``url_for(key)`` when the row has a key."""
        if self.url is None and self.url_for is not None and self.key:
            return self.url_for(self.key)
        return self.url


class Metric(ABC):
    key: str
    label: Promise | str
    # The definition: one sentence, shown next to the figure everywhere.
    description: Promise | str = ""
    # The dimensions ``breakdown()`` answers for; none unless a metric says so.
    breakdowns: tuple[Dimension, ...] = ()
    # A percentage with a numerator and a denominator (see ``ratio()``).
    is_share: bool = False

    def lag_months(self, programme: Programme) -> int:
        """Calendar months after an event before it can be counted (0: at once)."""
        return 0

    def ratio(self, programme: Programme, *, start: dt.date, end: dt.date) -> tuple[int, int]:
        """For a share: (numerator, denominator) over ``[start, end]``."""
        raise NotImplementedError(f"{self.key} is not a share")

    @abstractmethod
    def daily(
        self, programme: Programme, *, start: dt.date, end: dt.date
    ) -> dict[dt.date, int]:
        """Events per day in ``[start, end]`` (both inclusive), in one aggregate query."""

    def count(self, programme: Programme, *, start: dt.date, end: dt.date) -> int:
        return sum(self.daily(programme, start=start, end=end).values())

    def records_url(self, programme: Programme, *, start: dt.date, end: dt.date) -> str | None:
        """The filtered list of the records behind the number, if there is one."""
        return None

    def breakdown(
        self, programme: Programme, *, start: dt.date, end: dt.date, by: Dimension
    ) -> list[BreakdownRow]:
        """The count in ``[start, end]`` split by ``by``, in one aggregate query.

        Only called for a dimension listed in ``breakdowns``; rows with a zero count may be
        left out.
        """
        return []


def breakdown_rows(queryset: QuerySet, *, by: Dimension, paths: dict[Dimension, str],
                   count: Aggregate, url: Callable[[str], str | None]) -> list[BreakdownRow]:
    """Group ``queryset`` by the path of ``by`` and count with ``count``.

    ``paths`` maps each dimension to the lookup of a user (consultant), a company or the
    target group value; ``url(key)`` gives the filtered list behind a row.
    """
    path = paths[by]
    if by == Dimension.TARGET_GROUP:
        names = [path]
    elif by == Dimension.CONSULTANT:
        names = [path, f"{path}__first_name", f"{path}__last_name", f"{path}__email"]
    else:
        names = [path, f"{path}__name"]
    rows = queryset.values(*names).annotate(n=count).order_by(*names)
    labels = dict(TargetGroup.choices)
    result = []
    for row in rows:
        value = row[path]
        if by == Dimension.TARGET_GROUP:
            label = str(labels.get(value, value))
        elif value is None:
            label = _("Ingen")
        elif by == Dimension.CONSULTANT:
            full = f"{row[f'{path}__first_name']} {row[f'{path}__last_name']}".strip()
            label = full or row[f"{path}__email"]
        else:
            label = row[f"{path}__name"]
        key = "" if value is None else str(value)
        result.append(BreakdownRow(key=key, label=label, count=row["n"], url_for=url))
    return sorted(result, key=lambda r: (-r.count, r.label))


@dataclass(frozen=True)
class Item:
    """One counted thing (a citizen, a company) on the day it counts.

    ``rows`` gives, for each dimension the metric breaks down by, the one ``(key, label)``
    row the item is attributed to, so a breakdown's rows always add up to the total.
    """

    day: dt.date
    rows: dict[Dimension, tuple[str, str]]


def first_items(rows, *, keys: Callable[[dict], dict[Dimension, tuple[str, str]]],
                item: str = "item", day: str = "day") -> list[Item]:
    """The first row of each counted thing, as an ``Item``.

    ``rows`` are dicts sorted so that a thing's first row comes first (e.g. by day, then pk);
    ``item`` names the field that identifies the thing, ``day`` the date it counts on and
    ``keys(row)`` gives the row's attribution for each dimension.
    """
    seen: set = set()
    result = []
    for row in rows:
        if row[item] in seen:
            continue
        seen.add(row[item])
        result.append(Item(day=row[day], rows=keys(row)))
    return result


def person_row(pk, first_name: str | None, last_name: str | None,
               email: str | None) -> tuple[str, str]:
    """The (key, label) of a consultant row; no consultant is the row "Ingen"."""
    if pk is None:
        return "", str(_("Ingen"))
    full = f"{first_name or ''} {last_name or ''}".strip()
    return str(pk), full or email or ""


def target_group_row(value: str | None) -> tuple[str, str]:
    return value or "", _target_group_label(value, translation.get_language())


@lru_cache(maxsize=64)
def _target_group_label(value: str | None, language: str | None) -> str:
    # Per value and language: called once per counted item, tens of thousands on a dashboard.
    return str(dict(TargetGroup.choices).get(value, value or _("Ingen")))


# While set (``items_cached``), ItemMetric.items() results by (metric, programme, end).
_items_cache: ContextVar[dict | None] = ContextVar("metric_items_cache", default=None)


@contextmanager
def items_cached():
    """Within the block, an ``ItemMetric`` computes its items once per programme and end day
    and reuses them for ``daily()`` and each ``breakdown()`` (the dashboard asks for both;
    issue 14: the same items were fetched and attributed for every dimension again)."""
    token = _items_cache.set({})
    try:
        yield
    finally:
        _items_cache.reset(token)


class ItemMetric(Metric):
    """A metric that counts things once each, on the day each first counts.

    Subclasses give ``items(programme, end=...)``: every thing counted up to ``end``, whatever
    its day (a thing counts on its first day only, so it never counts twice in a range).
    """

    @abstractmethod
    def items(self, programme: Programme, *, end: dt.date) -> list[Item]:
        """Every counted thing whose day is at most ``end``, once each."""

    def _items(self, programme: Programme, *, end: dt.date) -> list[Item]:
        cache = _items_cache.get()
        if cache is None:
            return self.items(programme, end=end)
        key = (self.key, programme.pk, end)
        if key not in cache:
            cache[key] = self.items(programme, end=end)
        return cache[key]

    def list_params(self, programme: Programme, *, start: dt.date, end: dt.date) -> dict:
        return {}

    def list_url(self, params: dict) -> str | None:
        return None

    def daily(self, programme, *, start, end):
        days: dict[dt.date, int] = {}
        for item in self._items(programme, end=end):
            if start <= item.day <= end:
                days[item.day] = days.get(item.day, 0) + 1
        return dict(sorted(days.items()))

    def records_url(self, programme, *, start, end):
        return self.list_url(self.list_params(programme, start=start, end=end))

    def breakdown(self, programme, *, start, end, by):
        counts: dict[tuple[str, str], int] = {}
        for item in self._items(programme, end=end):
            if start <= item.day <= end:
                row = item.rows[by]
                counts[row] = counts.get(row, 0) + 1
        params = self.list_params(programme, start=start, end=end)

        # The lists filter by the dimension's name: ?consultant=, ?target_group=, ?company=.
        def url_for(key: str, by=by) -> str | None:
            return self.list_url({**params, by.value: key})

        rows = [BreakdownRow(key=key, label=label, count=n, url_for=url_for)
                for (key, label), n in counts.items()]
        return sorted(rows, key=lambda r: (-r.count, r.label))


class MetricRegistry:
    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}

    def register(self, metric: Metric) -> Metric:
        if metric.key in self._metrics:
            raise ValueError(f"A metric with key {metric.key!r} is already registered.")
        self._metrics[metric.key] = metric
        return metric

    def unregister(self, key: str) -> None:
        self._metrics.pop(key, None)

    def get(self, key: str) -> Metric:
        return self._metrics[key]

    def __contains__(self, key: str) -> bool:
        return key in self._metrics

    def all(self) -> list[Metric]:
        return list(self._metrics.values())

    def choices(self) -> list[tuple[str, str]]:
        return [(metric.key, str(metric.label)) for metric in self._metrics.values()]


registry = MetricRegistry()


def register(metric_class: type[Metric]) -> type[Metric]:
    """Class decorator: ``@metrics.register`` on a Metric subclass registers one instance."""
    registry.register(metric_class())
    return metric_class


def autodiscover() -> None:
    autodiscover_modules("metrics")
