"""The programme dashboard: targets against actuals, their status, charts and breakdowns.

Computed from the metrics registry with a fixed number of queries whatever the amount of data:
one query for the targets, one ``daily()`` aggregate per metric the targets use, and one
``breakdown()`` aggregate per metric and dimension (an ``ItemMetric`` answers both from one
query). The charts read the running totals at a bounded number of days (``CHART_POINTS``,
``TABLE_ROWS``), so the work in Python depends on neither the data nor the programme's
length. Every actual is counted from the programme's start up to and including
``min(as_of, deadline)`` (dates in Europe/Copenhagen), so milestones of the same metric are
cumulative.

What the pages show is one computation kept in the cache for ``CSR_DASHBOARD_CACHE_SECONDS``
(``dashboard_for_display``, ``own_figures_for_display``); the page says when it was computed.

A share metric (``Metric.is_share``) is compared as a share: its actual is the percentage
(numerator / denominator, both shown) over the same range, and a target on it is a percentage.

The verdict rule (``VERDICT_RULE``, shown on the dashboard): a target that is not yet reached
gets "on track" or "behind" only once a quarter of the time from the programme's start to its
deadline has passed or at least ``VERDICT_MIN_RECORDS`` records are counted; before that it is
"too early to judge". For a metric known only months after the event (retention at 3 months,
``Metric.lag_months``) the elapsed time is counted up to ``as_of`` minus the lag, the projection
is made from that known part only, and a deadline is "missed" only when the lag after it has
passed too.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import logging
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cached_property

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from csrprogram import charts, selectors
from csrprogram.choices import PercentageBasis, TargetKind
from csrprogram.metrics import BreakdownRow, Dimension, Metric, items_cached, registry
from csrprogram.models import Programme, Target, User

logger = logging.getLogger(__name__)


class Status(StrEnum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    NOT_STARTED = "not_started"
    TOO_EARLY = "too_early"
    UNAVAILABLE = "unavailable"


# The verdict rule (see the module docstring).
VERDICT_MIN_SHARE_OF_PERIOD = 0.25
VERDICT_MIN_RECORDS = 10
VERDICT_RULE = gettext_lazy(
    "Status »På rette spor« eller »Bagud« gives først, når en fjerdedel af tiden fra "
    "programmets start til fristen er gået, eller når mindst 10 registreringer er talt; før "
    "det står der »For tidligt at vurdere«. Fremskrivningen forlænger tempoet indtil nu "
    "til fristen. Fastholdelse kendes først 3 måneder efter jobstart: her regnes kun med de "
    "job, der startede mindst 3 måneder før i dag, og et mål er først »Ikke nået«, når også "
    "de 3 måneder efter fristen er gået.")


STATUS_LABELS = {
    Status.REACHED: gettext_lazy("Nået"),
    Status.ON_TRACK: gettext_lazy("På rette spor"),
    Status.BEHIND: gettext_lazy("Bagud"),
    Status.MISSED: gettext_lazy("Ikke nået"),
    Status.NOT_STARTED: gettext_lazy("Ikke startet"),
    Status.TOO_EARLY: gettext_lazy("For tidligt at vurdere"),
    Status.UNAVAILABLE: gettext_lazy("Nøgletal ikke tilgængeligt"),
}

# Bootstrap badge classes; the status is always written out too, never colour alone.
STATUS_CLASSES = {
    Status.REACHED: "text-bg-success",
    Status.ON_TRACK: "text-bg-primary",
    Status.BEHIND: "text-bg-warning",
    Status.MISSED: "text-bg-danger",
    Status.NOT_STARTED: "text-bg-secondary",
    Status.TOO_EARLY: "text-bg-light",
    Status.UNAVAILABLE: "text-bg-secondary",
}

DIMENSION_LABELS = {
    Dimension.CONSULTANT: gettext_lazy("Konsulent"),
    Dimension.TARGET_GROUP: gettext_lazy("Målgruppe"),
    Dimension.COMPANY: gettext_lazy("Virksomhed"),
}


@dataclass
class TargetRow:
    target: Target
    metric: Metric | None
    target_value: int | None
    actual: int | None
    counted_until: dt.date
    status: Status
    projected: int | None = None
    progress: int | None = None
    records_url: str | None = None
    # For a share: the counts behind the percentage in ``actual``.
    numerator: int | None = None
    denominator: int | None = None

    @property
    def is_share(self) -> bool:
        return bool(self.metric and self.metric.is_share)

    @property
    def definition(self) -> str:
        return str(self.metric.description) if self.metric else ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES[self.status]

    @property
    def metric_label(self) -> str:
        return str(self.metric.label) if self.metric else self.target.metric_key

    @property
    def available(self) -> bool:
        return self.status != Status.UNAVAILABLE


@dataclass
class MetricChart:
    key: str
    label: str
    svg: str
    # The same chart drawn for a phone's column (charts.PHONE_WIDTH units wide, larger text);
    # the dashboard loads it as an image below the md breakpoint only
    # (``DashboardChartView``), so a wide screen never downloads it.
    svg_phone: str
    # The chart's title and description (its SVG <title> and <desc>): together the phone
    # image's alternative text.
    title: str
    description: str
    # The table alternative: the cumulative actual at the end of each month (and today).
    table: list[tuple[dt.date, int]]
    rows: list[TargetRow]


@dataclass
class BreakdownCell:
    count: int
    url: str | None


@dataclass
class BreakdownTable:
    dimension: Dimension
    label: str
    metrics: list[tuple[str, str]]
    rows: list[tuple[str, list[BreakdownCell | None]]]
    # When only the largest rows are shown: how many (the last row sums the rest); else 0.
    limited: int = 0


@dataclass
class Dashboard:
    programme: Programme
    as_of: dt.date
    rows: list[TargetRow]
    charts: list[MetricChart] = field(default_factory=list)
    breakdowns: list[BreakdownTable] = field(default_factory=list)
    # When these figures were computed (``dashboard_for_display`` may give a kept copy).
    computed_at: dt.datetime | None = None

    def chart(self, key: str) -> MetricChart | None:
        """The chart of metric ``key``, or None."""
        return next((chart for chart in self.charts if chart.key == key), None)

    @cached_property
    def first_rows(self) -> set[int]:
        """The pks of each metric's first target row: the one that carries the metric's
        definition on the screen (the later milestones of the same metric do not repeat it;
        every definition is also in the definitions section)."""
        seen: dict[str, int] = {}
        for row in self.rows:
            seen.setdefault(row.target.metric_key, row.target.pk)
        return set(seen.values())

    @property
    def definitions(self) -> list[tuple[str, str]]:
        """(label, definition) of each metric the targets use, once each, in their order."""
        seen: dict[str, tuple[str, str]] = {}
        for row in self.rows:
            if row.metric is not None and row.target.metric_key not in seen:
                seen[row.target.metric_key] = (row.metric_label, row.definition)
        return list(seen.values())

    @property
    def verdict_rule(self) -> str:
        return str(VERDICT_RULE)


class _Running:
    """The running total of a daily series from ``start``, read at any day by bisection: the
    chart and its table read a few hundred days, not every day of a long programme."""

    def __init__(self, daily: dict[dt.date, int], start: dt.date, end: dt.date):
        self.days = sorted(day for day in daily if start <= day <= end)
        self.totals = list(itertools.accumulate(daily[day] for day in self.days))
        self.start, self.end = start, end

    def at(self, day: dt.date) -> int:
        index = bisect.bisect_right(self.days, day)
        return self.totals[index - 1] if index else 0

    def points(self) -> list[tuple[dt.date, int]]:
        """(day, running total) of every k-th day from ``start`` and of ``end``: at most
        about ``CHART_POINTS``, every day for a short range; of a flat stretch only its
        ends."""
        length = (self.end - self.start).days + 1
        if length <= 0:
            return []
        step = max(1, -(-length // CHART_POINTS))
        offsets = list(range(0, length, step))
        if offsets[-1] != length - 1:
            offsets.append(length - 1)
        days = [self.start + dt.timedelta(days=offset) for offset in offsets]
        points = [(day, self.at(day)) for day in days]
        # A flat stretch is drawn by its two ends: the points in between add bytes only.
        return [point for index, point in enumerate(points)
                if index in (0, len(points) - 1)
                or not points[index - 1][1] == point[1] == points[index + 1][1]]

    def month_ends(self) -> list[tuple[dt.date, int]]:
        """(day, running total) at the month ends in the range, and at ``end``: every month
        end, or every k-th counted back from the latest when there are more than
        ``TABLE_ROWS``."""
        if self.end < self.start:
            return []
        ends, month = [], dt.date(self.start.year, self.start.month, 1)
        while True:
            following = (month + dt.timedelta(days=32)).replace(day=1)
            last = following - dt.timedelta(days=1)
            if last > self.end:
                break
            ends.append(last)
            month = following
        step = -(-len(ends) // TABLE_ROWS) if ends else 1
        days = ends[::-1][::step][::-1]
        if not days or days[-1] != self.end:
            days.append(self.end)
        return [(day, self.at(day)) for day in days]


# The most points a chart's line is drawn through: more than the plot's width in pixels
# adds bytes, not detail (issue 14: a daily line over six years made each chart ~30 KB).
CHART_POINTS = 240


def _sum_until(daily: dict[dt.date, int], start: dt.date, end: dt.date) -> int:
    return sum(count for day, count in daily.items() if start <= day <= end)


# The most rows of a chart's table alternative: month ends, thinned to every 2nd, 3rd ...
# month end for a long programme (issue 14: 24 charts of a six-year programme put 1,700
# table rows, ≈ 200 KB, on the dashboard).
TABLE_ROWS = 24


def programme_dashboard(
    *, programme: Programme, as_of: dt.date, with_breakdowns: bool = True,
    with_charts: bool = True,
) -> Dashboard:
    """The dashboard of ``programme`` on ``as_of`` (see the module docstring)."""
    with items_cached():
        board = _programme_dashboard(programme=programme, as_of=as_of,
                                     with_breakdowns=with_breakdowns, with_charts=with_charts)
    board.computed_at = timezone.now()
    return board


def _dashboard_cache_key(programme: Programme, as_of: dt.date) -> str:
    """The cache key of ``programme``'s whole dashboard on ``as_of`` in the active language.

    It holds a digest of the programme's and its targets' stored values (one query), so a
    changed target, deadline or programme period is shown at once, never a kept copy."""
    targets = selectors.programme_targets(programme).values_list(
        *[f.attname for f in Target._meta.concrete_fields])
    state = repr((
        [getattr(programme, f.attname) for f in Programme._meta.concrete_fields],
        list(targets),
    ))
    digest = hashlib.sha256(state.encode()).hexdigest()[:24]
    return (f"dashboard:{_SHAPE}:{programme.pk}:{as_of.isoformat()}:{get_language()}:"
            f"{digest}")


def _shape() -> str:
    """A digest of the kept classes' fields: a release that changes them never reads a copy
    kept by the one before."""
    names = [(cls.__name__, [f.name for f in fields(cls)])
             for cls in (Dashboard, TargetRow, MetricChart, BreakdownTable, BreakdownCell,
                         TeamFigures, OwnFigure)]
    return hashlib.sha256(repr(names).encode()).hexdigest()[:8]


def _kept(key: str):
    """The copy kept under ``key``, or None (also when it cannot be read back)."""
    try:
        return cache.get(key)
    except Exception:  # a copy that no longer unpickles is computed anew, never an error
        logger.warning("The kept dashboard %s could not be read; computing it anew", key)
        return None


def dashboard_for_display(*, programme: Programme, as_of: dt.date,
                          refresh: bool = False) -> Dashboard:
    """The whole dashboard (charts and breakdowns) of ``programme`` on ``as_of``, as the
    dashboard page, its chart images and its CSV/Excel exports show it.

    A copy computed within ``settings.CSR_DASHBOARD_CACHE_SECONDS`` (default 600) is reused
    from the cache, per programme, day, language and state of the targets
    (``_dashboard_cache_key``); ``refresh`` computes anew and keeps the new copy. The page
    shows ``computed_at`` and offers the refresh, so a figure that moved in the last minutes
    is one click away (issue 14: the dashboard is ≈ 45 aggregate queries over the whole
    programme, half a second at municipal scale). The exports and chart images read the same
    kept copy, so they agree with the page unless the copy was renewed in between (by the
    worker, ``dashboards_keep``, or a refresh). The funder report (a Celery task) always
    computes anew; a consultant's own figures are kept the same way
    (``own_figures_for_display``). With 0 seconds nothing is kept."""
    seconds = settings.CSR_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return programme_dashboard(programme=programme, as_of=as_of)
    mark_shown(programme)
    key = _dashboard_cache_key(programme, as_of)
    if not refresh:
        board = _kept(key)
        if board is not None:
            board.programme = programme
            return board
    board = programme_dashboard(programme=programme, as_of=as_of)
    cache.set(key, board, seconds)
    return board


def _programme_dashboard(*, programme: Programme, as_of: dt.date, with_breakdowns: bool,
                         with_charts: bool) -> Dashboard:
    start = programme.starts_on
    targets = list(selectors.programme_targets(programme))

    # The last day each metric is needed for: one aggregate query per metric covers them all.
    horizons: dict[str, dt.date] = {}
    for target in targets:
        until = min(as_of, target.deadline)
        horizons[target.metric_key] = max(horizons.get(target.metric_key, until), until)
    metrics: dict[str, Metric | None] = {
        key: registry.get(key) if key in registry else None for key in horizons
    }
    daily: dict[str, dict[dt.date, int]] = {}
    for key, until in horizons.items():
        metric = metrics[key]
        if metric is not None and until >= start:
            daily[key] = metric.daily(programme, start=start, end=until)
        else:
            daily[key] = {}

    def actual_of(target: Target) -> int | None:
        if metrics[target.metric_key] is None:
            return None
        return _sum_until(daily[target.metric_key], start, min(as_of, target.deadline))

    by_pk = {target.pk: target for target in targets}
    resolved: dict[int, int | None] = {}

    def value_of(target: Target, depth: int = 0) -> int | None:
        if target.pk in resolved:
            return resolved[target.pk]
        if target.kind == TargetKind.ABSOLUTE:
            value: int | None = int(target.value)
        else:
            reference = by_pk.get(target.reference_id)
            if reference is None or depth > len(by_pk):
                value = None
            elif target.basis == PercentageBasis.ACTUAL:
                base = actual_of(reference)
                value = None if base is None else target.percentage_of(base)
            else:
                base = value_of(reference, depth + 1)
                value = None if base is None else target.percentage_of(base)
        resolved[target.pk] = value
        return value

    rows = []
    for target in targets:
        metric = metrics[target.metric_key]
        if metric is not None and metric.is_share:
            rows.append(_share_row(target, metric, programme=programme, as_of=as_of))
        else:
            rows.append(_target_row(target, metric, value_of(target), actual_of(target),
                                    programme=programme, as_of=as_of))
    dashboard = Dashboard(programme=programme, as_of=as_of, rows=rows)
    if with_charts:
        dashboard.charts = _charts(rows, daily, programme=programme, as_of=as_of)
    if with_breakdowns:
        dashboard.breakdowns = _breakdowns(metrics, horizons, programme=programme)
    return dashboard


def _verdict_window(metric: Metric, target: Target, *, programme: Programme,
                    as_of: dt.date) -> tuple[dt.date, dt.date]:
    """(the last day whose events can be known by ``as_of``, the day the verdict is final)."""
    lag = relativedelta(months=metric.lag_months(programme))
    return min(as_of - lag, target.deadline), target.deadline + lag


def _target_row(target: Target, metric: Metric | None, target_value: int | None,
                actual: int | None, *, programme: Programme, as_of: dt.date) -> TargetRow:
    start = programme.starts_on
    counted_until = min(as_of, target.deadline)
    if metric is None or target_value is None or actual is None:
        return TargetRow(target=target, metric=metric, target_value=target_value, actual=actual,
                         counted_until=counted_until, status=Status.UNAVAILABLE)
    progress = 100 if target_value == 0 else actual * 100 // target_value
    known_until, final_on = _verdict_window(metric, target, programme=programme, as_of=as_of)
    projected = None
    if actual >= target_value:
        status, projected = Status.REACHED, actual
    elif as_of < start:
        status = Status.NOT_STARTED
    elif as_of > final_on:
        status, projected = Status.MISSED, actual
    else:
        # A straight line through the trend so far: the pace over the known part of the
        # period, kept up until the deadline (both days inclusive).
        elapsed = (known_until - start).days + 1
        total = (target.deadline - start).days + 1
        if elapsed <= 0 or (elapsed < total * VERDICT_MIN_SHARE_OF_PERIOD
                            and actual < VERDICT_MIN_RECORDS):
            status = Status.TOO_EARLY
        else:
            projected = actual * total // elapsed
            status = Status.ON_TRACK if projected >= target_value else Status.BEHIND
    records_url = (metric.records_url(programme, start=start, end=counted_until)
                   if counted_until >= start else None)
    return TargetRow(target=target, metric=metric, target_value=target_value, actual=actual,
                     counted_until=counted_until, status=status, projected=projected,
                     progress=progress, records_url=records_url)


def _share_row(target: Target, metric: Metric, *, programme: Programme,
               as_of: dt.date) -> TargetRow:
    """A target on a share: the share's percentage against the target's percentage."""
    start = programme.starts_on
    counted_until = min(as_of, target.deadline)
    if target.is_percentage:
        # A share's target is itself a percentage; a share of a share has no meaning.
        return TargetRow(target=target, metric=metric, target_value=None, actual=None,
                         counted_until=counted_until, status=Status.UNAVAILABLE)
    target_value = int(target.value)
    numerator, denominator = (metric.ratio(programme, start=start, end=counted_until)
                              if counted_until >= start else (0, 0))
    actual = 100 * numerator // denominator if denominator else 0
    meets = numerator * 100 >= target.value * denominator and denominator > 0
    _known_until, final_on = _verdict_window(metric, target, programme=programme,
                                             as_of=as_of)
    if as_of < start:
        status = Status.NOT_STARTED
    elif as_of > final_on:
        status = Status.REACHED if meets else Status.MISSED
    elif denominator < VERDICT_MIN_RECORDS:
        status = Status.TOO_EARLY
    else:
        status = Status.ON_TRACK if meets else Status.BEHIND
    progress = 100 if target_value == 0 else actual * 100 // target_value
    records_url = (metric.records_url(programme, start=start, end=counted_until)
                   if counted_until >= start else None)
    return TargetRow(target=target, metric=metric, target_value=target_value, actual=actual,
                     counted_until=counted_until, status=status, progress=progress,
                     records_url=records_url, numerator=numerator, denominator=denominator)


def _charts(rows: list[TargetRow], daily: dict[str, dict[dt.date, int]], *,
            programme: Programme, as_of: dt.date) -> list[MetricChart]:
    start = programme.starts_on
    grouped: dict[str, list[TargetRow]] = {}
    for row in rows:
        # A share is not a cumulative count: it has no cumulative chart.
        if row.available and not row.is_share:
            grouped.setdefault(row.target.metric_key, []).append(row)
    result = []
    for index, (key, metric_rows) in enumerate(grouped.items()):
        last_deadline = max(row.target.deadline for row in metric_rows)
        until = min(as_of, last_deadline)
        running = _Running(daily[key], start, until)
        points = running.points()
        milestones = sorted((row.target.deadline, row.target_value) for row in metric_rows)
        open_rows = [row for row in metric_rows
                     if row.status in {Status.ON_TRACK, Status.BEHIND}]
        projection = None
        if open_rows and points:
            final = max(open_rows, key=lambda row: row.target.deadline)
            projection = (final.target.deadline, final.projected)
        label = metric_rows[0].metric_label
        current = points[-1][1] if points else 0
        description = _(
            "Kumulativt resultat for %(metric)s fra %(start)s til %(until)s: %(actual)s. "
            "Mål: %(milestones)s."
        ) % {
            "metric": label,
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "until": date_format(until, "SHORT_DATE_FORMAT") if points else "–",
            "actual": current,
            "milestones": "; ".join(
                _("%(value)s senest %(date)s") % {
                    "value": value, "date": date_format(day, "SHORT_DATE_FORMAT")}
                for day, value in milestones),
        }
        drawing = {
            "title": _("%(metric)s over tid") % {"metric": label},
            "description": description, "start": start, "end": max(last_deadline, start),
            "points": points, "milestones": milestones, "projection": projection,
        }
        svg = charts.cumulative_chart(chart_id=f"chart-{index}", **drawing)
        svg_phone = charts.cumulative_chart(chart_id=f"chart-{index}-phone",
                                            width=charts.PHONE_WIDTH, height=300,
                                            font_size=12, **drawing)
        result.append(MetricChart(key=key, label=label, svg=svg, svg_phone=svg_phone,
                                  title=drawing["title"], description=description,
                                  table=running.month_ends(),
                                  rows=metric_rows))
    return result


# A breakdown table shows at most this many rows; the rest are summed in one "Øvrige" row
# that links to the full list (issue 14: 4,107 company rows per metric at municipal scale).
BREAKDOWN_LIMIT = 20


def _breakdowns(metrics: dict[str, Metric | None], horizons: dict[str, dt.date], *,
                programme: Programme) -> list[BreakdownTable]:
    """One table per dimension: every row when there are at most ``BREAKDOWN_LIMIT``, in
    alphabetical order; otherwise the ``BREAKDOWN_LIMIT`` rows with the largest counts
    (summed over the metrics), largest first, and an "Øvrige" row with the rest's sums, each
    linking to the metric's whole list. Links are reversed for the shown rows only."""
    start = programme.starts_on
    tables = []
    for dimension in Dimension:
        providers = [(key, metric) for key, metric in metrics.items()
                     if metric is not None and dimension in metric.breakdowns
                     and horizons[key] >= start]
        if not providers:
            continue
        labels: dict[str, str] = {}
        found: dict[str, dict[str, BreakdownRow]] = {}
        for key, metric in providers:
            rows: list[BreakdownRow] = metric.breakdown(
                programme, start=start, end=horizons[key], by=dimension)
            for row in rows:
                labels.setdefault(row.key, row.label)
                found.setdefault(row.key, {})[key] = row
        if len(labels) <= BREAKDOWN_LIMIT:
            shown, rest = sorted(labels, key=lambda row_key: labels[row_key].casefold()), []
        else:
            totals = {k: sum(row.count for row in found[k].values()) for k in labels}
            ordered = sorted(labels, key=lambda k: (-totals[k], labels[k].casefold(), k))
            shown, rest = ordered[:BREAKDOWN_LIMIT], ordered[BREAKDOWN_LIMIT:]

        def cell(row: BreakdownRow | None) -> BreakdownCell | None:
            return None if row is None else BreakdownCell(count=row.count, url=row.link())

        table_rows = [(labels[row_key], [cell(found[row_key].get(key)) for key, _m in providers])
                      for row_key in shown]
        if rest:
            others = []
            for key, metric in providers:
                count = sum(found[row_key][key].count for row_key in rest
                            if key in found[row_key])
                url = metric.records_url(programme, start=start, end=horizons[key])
                others.append(BreakdownCell(count=count, url=url))
            table_rows.append((_("Øvrige (%(count)s)") % {"count": len(rest)}, others))
        tables.append(BreakdownTable(
            dimension=dimension, label=str(DIMENSION_LABELS[dimension]),
            metrics=[(key, str(metric.label)) for key, metric in providers],
            rows=table_rows, limited=BREAKDOWN_LIMIT if rest else 0,
        ))
    return tables


@dataclass
class OwnFigure:
    metric_key: str
    label: str
    count: int
    url: str | None
    targets: list[Target]
    definition: str = ""


def consultant_figures(*, programme: Programme, user: User, as_of: dt.date) -> list[OwnFigure]:
    """A consultant's own counts: their row of each target metric's consultant breakdown."""
    return consultants_figures(programme=programme, as_of=as_of).of(user)


@dataclass
class TeamFigures:
    """Every consultant's own figures in one programme, from one computation.

    ``metrics`` holds, per target metric with a consultant breakdown, its key, label,
    definition and targets; ``rows`` maps a user's pk (a string, ``BreakdownRow.key``) to
    ``{metric key: (count, url of the records behind it)}``. A consultant without a row in a
    metric counted nothing in it (0, no link)."""

    metrics: list[tuple[str, str, str, list[Target]]]
    rows: dict[str, dict[str, tuple[int, str | None]]]
    computed_at: dt.datetime

    def of(self, user: User) -> list[OwnFigure]:
        """``user``'s figures, one per metric, in the targets' order."""
        own = self.rows.get(str(user.pk), {})
        return [OwnFigure(metric_key=key, label=label, count=own.get(key, (0, None))[0],
                          url=own.get(key, (0, None))[1], targets=targets,
                          definition=definition)
                for key, label, definition, targets in self.metrics]


def consultants_figures(*, programme: Programme, as_of: dt.date) -> TeamFigures:
    """Every consultant's own figures in ``programme`` on ``as_of``: one consultant breakdown
    per target metric (one query each) over ``[programme start, min(as_of, programme end)]``,
    whatever the number of consultants, so "Mine tal" of every consultant is one computation
    (issue 14)."""
    start = programme.starts_on
    until = min(as_of, programme.ends_on)
    by_metric: dict[str, list[Target]] = {}
    for target in selectors.programme_targets(programme):
        by_metric.setdefault(target.metric_key, []).append(target)
    metrics, rows = [], {}
    with items_cached():
        for key, targets in by_metric.items():
            metric = registry.get(key) if key in registry else None
            if (metric is None or Dimension.CONSULTANT not in metric.breakdowns
                    or until < start):
                continue
            metrics.append((key, str(metric.label), str(metric.description), targets))
            for row in metric.breakdown(programme, start=start, end=until,
                                        by=Dimension.CONSULTANT):
                if row.key:
                    rows.setdefault(row.key, {})[key] = (row.count, row.link())
    return TeamFigures(metrics=metrics, rows=rows, computed_at=timezone.now())


@dataclass
class OwnFigures:
    """A consultant's own figures (``consultant_figures``) and when they were computed."""

    figures: list[OwnFigure]
    computed_at: dt.datetime


def _team_figures_key(programme: Programme, as_of: dt.date) -> str:
    return f"own-{_dashboard_cache_key(programme, as_of)}"


def own_figures_for_display(*, programme: Programme, user: User, as_of: dt.date,
                            refresh: bool = False) -> OwnFigures:
    """``consultant_figures`` of ``user`` in ``programme`` on ``as_of``, as "Mine tal" shows
    them. Like the dashboard (``dashboard_for_display``) they come from one computation kept
    in the cache for ``settings.CSR_DASHBOARD_CACHE_SECONDS``: every consultant's figures
    together (``consultants_figures``), per programme, day and language, so the programme's
    consultants share it and the worker keeps it fresh (``dashboards_keep``); ``refresh``
    computes anew."""
    seconds = settings.CSR_DASHBOARD_CACHE_SECONDS
    if not seconds:
        team = consultants_figures(programme=programme, as_of=as_of)
        return OwnFigures(figures=team.of(user), computed_at=team.computed_at)
    mark_shown(programme)
    key = _team_figures_key(programme, as_of)
    team = None if refresh else _kept(key)
    if team is None:
        team = consultants_figures(programme=programme, as_of=as_of)
        cache.set(key, team, seconds)
    return OwnFigures(figures=team.of(user), computed_at=team.computed_at)


# A programme's figures are kept by the worker for a day after they were last shown in a
# language (``dashboards_keep``): the programmes people look at, not every programme.
SHOWN_SECONDS = 24 * 3600


def _shown_key(programme_pk: int, language: str) -> str:
    return f"dashboard-shown:{programme_pk}:{language}"


def mark_shown(programme: Programme) -> None:
    """Note that ``programme``'s figures were shown in the active language, so that
    ``dashboards_keep`` keeps them for ``SHOWN_SECONDS`` (one cache write)."""
    cache.set(_shown_key(programme.pk, get_language()), True, SHOWN_SECONDS)


def dashboards_keep(*, as_of: dt.date) -> int:
    """Compute and keep the dashboard and the consultants' figures of every programme running
    on ``as_of`` (``starts_on <= as_of <= ends_on``) in every language in which its dashboard,
    "Mine tal" or a page built on them (exports, charts, the team leader's home) was shown
    within ``SHOWN_SECONDS``; returns how many copies were kept (two per programme and
    language).

    The beat runs it more often than a copy lasts (``dashboards-keep`` in
    ``CELERY_BEAT_SCHEDULE``, every half ``CSR_DASHBOARD_CACHE_SECONDS``, with a cache the
    web and worker processes share), so a running programme that people look at is usually
    found kept and the page does not wait for the ≈ 45 aggregate queries (issue 14: half a
    second at municipal scale). A request still computes them on "Beregn tallene igen", when
    a target or the programme changed (the key's digest), on the first showing in a language
    after a day without one, after midnight until the next run, for a programme that is not
    running, and after the cache lost the copy.

    The item metrics' figures are computed once per programme for all languages (they hold
    no translated text). A copy computed by a request after this run started is newer and is
    not replaced. A programme that fails is logged and the others are still kept; Celery's
    soft time limit stops the run."""
    from celery.exceptions import SoftTimeLimitExceeded

    seconds = settings.CSR_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return 0
    kept = 0
    programmes = list(Programme.objects.filter(starts_on__lte=as_of, ends_on__gte=as_of)
                      .order_by("pk"))
    languages = [language for language, _name in settings.LANGUAGES]
    shown = cache.get_many([_shown_key(programme.pk, language)
                            for programme in programmes for language in languages])
    for programme in programmes:
        with items_cached():
            for language in languages:
                if _shown_key(programme.pk, language) not in shown:
                    continue
                started = timezone.now()
                with translation.override(language):
                    try:
                        board = programme_dashboard(programme=programme, as_of=as_of)
                        team = consultants_figures(programme=programme, as_of=as_of)
                    except SoftTimeLimitExceeded:
                        raise
                    except Exception:
                        logger.exception("The dashboard of programme %s (%s) could not be kept",
                                         programme.pk, language)
                        continue
                    _keep_unless_newer(_dashboard_cache_key(programme, as_of), board,
                                       started=started, seconds=seconds)
                    _keep_unless_newer(_team_figures_key(programme, as_of), team,
                                       started=started, seconds=seconds)
                kept += 2
    return kept


def _keep_unless_newer(key: str, value, *, started: dt.datetime, seconds: int) -> None:
    """Keep ``value`` under ``key`` unless the copy there was computed after ``started``."""
    current = _kept(key)
    if current is not None and current.computed_at > started:
        return
    cache.set(key, value, seconds)


_SHAPE = _shape()
