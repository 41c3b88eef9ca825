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

A metric that counts each thing once, on its first day (distinct citizens, companies,
candidates), is an ``ItemMetric``: it gives its events as querysets (``events()``) and the
database picks each thing's first event and groups the firsts by day and by every dimension in
one query (issue 14: counting them in Python took seconds at municipal scale).
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

from django.apps import apps
from django.conf import settings
from django.db import connections
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


# While set (``items_cached``), ItemMetric figures by (metric, programme, start, end).
_items_cache: ContextVar[dict | None] = ContextVar("metric_items_cache", default=None)


@contextmanager
def items_cached():
    """Within the block, an ``ItemMetric`` computes its figures (daily counts, total and
    every breakdown: one query) once per programme and range and reuses them for ``daily()``
    and each ``breakdown()`` (the dashboard asks for both). A block within another shares the
    outer block's figures."""
    token = _items_cache.set(_items_cache.get() if _items_cache.get() is not None else {})
    try:
        yield
    finally:
        _items_cache.reset(token)


# The columns of an item metric's events (``ItemMetric.events``): the counted thing, its
# day, the tie-breakers that pick a thing's first event among events of the same day, an
# optional flag (0/1), and one key per dimension the metric breaks down by.
ITEM, DAY, FLAG = "m_item", "m_day", "m_flag"
KEY_COLUMNS = {Dimension.CONSULTANT: "m_consultant", Dimension.TARGET_GROUP: "m_target_group",
               Dimension.COMPANY: "m_company"}
# Where a key's label is read: (model label, label fields) — looked up by the rows' keys.
LABEL_SOURCES = {Dimension.CONSULTANT: (settings.AUTH_USER_MODEL,
                                        ("first_name", "last_name", "email")),
                 Dimension.COMPANY: ("companies.Company", ("name",))}


def events(queryset: QuerySet, *, item, day, order=(), flag=None,
           keys: dict[Dimension, object] | None = None) -> QuerySet:
    """``queryset`` as the rows of an item metric's events (see ``ItemMetric.events``).

    ``item`` identifies the counted thing, ``day`` is the date the event counts on, ``order``
    the tie-breakers among one thing's events of the same day (earliest first), ``flag`` an
    optional boolean (e.g. "retained"); ``keys`` gives for each dimension of the metric's
    ``breakdowns`` the lookup of the user (consultant), company or target group value the
    event is attributed to. Each may be a lookup string or an expression.
    """
    from django.db.models import Case, F, IntegerField, Value, When

    def expression(value):
        return F(value) if isinstance(value, str) else value

    columns: dict[str, object] = {ITEM: expression(item), DAY: expression(day)}
    for index, value in enumerate(order):
        columns[f"m_order_{index}"] = expression(value)
    if flag is not None:
        columns[FLAG] = Case(When(**{flag: True}, then=Value(1)), default=Value(0),
                             output_field=IntegerField()) if isinstance(flag, str) else flag
    for dimension in Dimension:
        if keys and dimension in keys:
            columns[KEY_COLUMNS[dimension]] = expression(keys[dimension])
    return queryset.order_by().values(**columns)


def _date(value) -> dt.date:
    # A raw cursor on SQLite gives dates as ISO strings.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class ItemMetric(Metric):
    """A metric that counts things once each, on the day each first counts.

    Subclasses give ``events(programme)``: one or more querysets made with ``events()`` (all
    with the same columns), every event that may make a thing count, of any day. A thing
    counts once, on the day of its first event (earliest day, then the ``order``
    tie-breakers), and is attributed to that first event's keys, so the rows of a breakdown
    add up to the total. With ``only_flagged`` a thing counts only if one of its events up to
    the range's end is flagged (still on the day of its first event).

    Everything is counted in the database, in one query per range for ``daily()``,
    ``count()`` and every ``breakdown()`` together (``_figures``; reused within
    ``items_cached()``): the work in Python does not grow with the number of things, and
    the rows fetched are at most one per day and one per breakdown row (issue 14).
    """

    only_flagged: bool = False
    # Keys that belong to the counted thing itself rather than to its first event (e.g. a
    # citizen's consultant and target group): the thing's model and {dimension: field}.
    # They are joined to the first events only, not to every event.
    item_model: str | None = None
    item_keys: dict[Dimension, str] = {}

    @abstractmethod
    def events(self, programme: Programme) -> list[QuerySet]:
        """Querysets of ``events()`` rows; their union is every event of the programme."""

    def list_params(self, programme: Programme, *, start: dt.date, end: dt.date) -> dict:
        return {}

    def list_url(self, params: dict) -> str | None:
        return None

    def _figures(self, programme: Programme, *, start: dt.date, end: dt.date) -> dict:
        """Every figure of the things counted in ``[start, end]``, from one query.

        ``{"total": (count, flagged), "day": {day: count}, dimension: [(key value, count,
        label fields...)] for each of ``breakdowns``}``. The events up to ``end`` are ranked
        per thing (``ROW_NUMBER()``; ``MAX(flag)`` over all of them), the first ones in the
        range kept in a common table expression, and grouped by day, by nothing and by each
        dimension's key (the user's or company's label fields joined to the groups), the
        groupings put together with ``UNION ALL`` (portable: SQLite has no grouping sets).
        """
        cache = _items_cache.get()
        cache_key = (self.key, programme.pk, start, end)
        if cache is not None and cache_key in cache:
            return cache[cache_key]
        connection = connections[self._db(programme)]
        quote = connection.ops.quote_name
        queries = list(self.events(programme))
        union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
        events_sql, params = union.query.get_compiler(using=union.db).as_sql()
        columns = list(queries[0].query.annotation_select)
        order = ", ".join([DAY, *(c for c in columns if c.startswith("m_order_"))])
        any_flag = f"MAX({FLAG}) OVER (PARTITION BY {ITEM})" if FLAG in columns else "1"
        flagged = " AND m_any_flag = 1" if self.only_flagged else ""
        text = "CAST(NULL AS TEXT)"
        # Only compiled querysets and this module's constant identifiers are put into the SQL;
        # every value is a bound parameter.
        item_columns = ""
        if self.item_keys:
            opts = apps.get_model(self.item_model)._meta
            # A scalar subquery per counted thing, read by its primary key: PostgreSQL would
            # otherwise hash a join with the whole table (50,000 citizens) for a few thousand.
            table, pk = quote(opts.db_table), quote(opts.pk.column)
            item_columns = "".join(
                " ".join([f", (SELECT m_item_row.{quote(opts.get_field(name).column)}",
                          f"FROM {table} m_item_row",
                          f"WHERE m_item_row.{pk} = m_ranked.{ITEM}) AS {KEY_COLUMNS[dimension]}"])
                for dimension, name in self.item_keys.items())
        parts = [
            "WITH m_firsts AS (", f"SELECT m_ranked.*{item_columns}",
            "FROM (SELECT m_events.*,",
            f"ROW_NUMBER() OVER (PARTITION BY {ITEM} ORDER BY {order}) AS m_rank,",
            f"{any_flag} AS m_any_flag FROM ({events_sql}) m_events WHERE {DAY} <= %s)",
            f"m_ranked WHERE m_rank = 1 AND {DAY} >= %s{flagged})",
            f"SELECT 'total', {text}, COUNT(*), SUM(m_any_flag), {text}, {text}, {text}",
            "FROM m_firsts",
            f"UNION ALL SELECT 'day', CAST({DAY} AS TEXT), COUNT(*), SUM(m_any_flag),",
            f"{text}, {text}, {text} FROM m_firsts GROUP BY {DAY}",
        ]
        for dimension in self.breakdowns:
            column = KEY_COLUMNS[dimension]
            grouped = " ".join([f"(SELECT {column} AS m_value,",
                                "COUNT(*) AS m_count, SUM(m_any_flag) AS m_flags",
                                f"FROM m_firsts GROUP BY {column}) m_grouped"])
            source = LABEL_SOURCES.get(dimension)
            labels, join = [text, text, text], ""
            if source is not None:
                opts = apps.get_model(source[0])._meta
                for index, name in enumerate(source[1]):
                    labels[index] = f"m_label.{quote(opts.get_field(name).column)}"
                join = (f"LEFT JOIN {quote(opts.db_table)} m_label"
                        f" ON m_label.{quote(opts.pk.column)} = m_grouped.m_value")
            parts += [f"UNION ALL SELECT '{dimension.value}', CAST(m_value AS TEXT), m_count,",
                      f"m_flags, {', '.join(labels)}", f"FROM {grouped}", join]
        figures: dict = {"total": (0, 0), "day": {}, **{d: [] for d in self.breakdowns}}
        with connection.cursor() as cursor:
            cursor.execute(" ".join(parts), [*params, end, start])
            for kind, value, count, flags, *labels in cursor.fetchall():
                if kind == "total":
                    figures["total"] = (count, int(flags or 0))
                elif kind == "day":
                    figures["day"][_date(value)] = count
                else:
                    figures[Dimension(kind)].append((value, count, *labels))
        if cache is not None:
            cache[cache_key] = figures
        return figures

    @staticmethod
    def _db(programme: Programme) -> str:
        return programme._state.db or "default"

    def daily(self, programme, *, start, end):
        if end < start:
            return {}
        return dict(sorted(self._figures(programme, start=start, end=end)["day"].items()))

    def count(self, programme, *, start, end) -> int:
        if end < start:
            return 0
        return self._figures(programme, start=start, end=end)["total"][0]

    def flagged(self, programme: Programme, *, start: dt.date, end: dt.date) -> tuple[int, int]:
        """(things with a flagged event up to ``end``, things) counted in ``[start, end]``."""
        if end < start:
            return 0, 0
        count, flags = self._figures(programme, start=start, end=end)["total"]
        return flags, count

    def records_url(self, programme, *, start, end):
        return self.list_url(self.list_params(programme, start=start, end=end))

    def breakdown(self, programme, *, start, end, by):
        if end < start:
            return []
        params = self.list_params(programme, start=start, end=end)

        # The lists filter by the dimension's name: ?consultant=, ?target_group=, ?company=.
        def url_for(key: str, by=by) -> str | None:
            return self.list_url({**params, by.value: key})

        rows = []
        for value, count, *labels in self._figures(programme, start=start, end=end)[by]:
            if by == Dimension.TARGET_GROUP:
                key, label = target_group_row(value)
            elif by == Dimension.CONSULTANT:
                key, label = person_row(value, *labels)
            else:
                key, label = ("", str(_("Ingen"))) if value is None else (str(value), labels[0])
            rows.append(BreakdownRow(key=key, label=label, count=count, url_for=url_for))
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
