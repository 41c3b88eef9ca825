"""The metrics registry behind programme targets and the dashboard.

Each app that counts something defines its metrics in its own ``metrics.py`` and registers
them here; the registry is filled by ``autodiscover()`` the way the admin is, so the base never
imports the apps above it. A target names a metric by its key.

A metric answers for a programme and an inclusive date range (dates in Europe/Copenhagen):
``daily()`` gives the number of events per day, computed with one aggregate query, and
``records_url()`` links to the list of records behind the number.

Breakdowns are optional: a metric lists the dimensions it can split its count by in
``breakdowns`` (see ``Dimension``) and answers ``breakdown()`` with one aggregate query per
dimension. The dashboard shows a dimension's table only for the metrics that provide it, and a
consultant's own figures are that consultant's row of the ``consultant`` breakdown.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
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
    TargetGroup value. ``url`` links to the records behind ``count``, if there is a list.
    """

    key: str
    label: str
    count: int
    url: str | None = None


class Metric(ABC):
    key: str
    label: Promise | str
    description: Promise | str = ""
    # The dimensions ``breakdown()`` answers for; none unless a metric says so.
    breakdowns: tuple[Dimension, ...] = ()

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
