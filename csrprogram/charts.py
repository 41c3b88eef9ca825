"""Server-side SVG charts: accessible, no JavaScript, no inline styles (strict CSP), and the same
markup works in the browser and in WeasyPrint's PDF.

Only SVG presentation attributes (``fill``, ``stroke``, ...) are used; they are not styles in the
CSP's sense. Every chart has ``role="img"``, a ``<title>`` and a ``<desc>``, and the page shows
the same numbers in a table next to it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ACTUAL_COLOUR = "#0b5394"
MILESTONE_COLOUR = "#595959"
PROJECTION_COLOUR = "#a84300"
GRID_COLOUR = "#d9d9d9"
TEXT_COLOUR = "#212529"
# The page's sans-serif (Bootstrap's system stack) named on the drawing itself: the phone's
# drawing is loaded as an image, which inherits no font from the page.
FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"


# The width a phone's chart is drawn at, in user units: about the 358 CSS px a 390 px screen
# leaves for the page's column, so its text is shown at close to its nominal size.
PHONE_WIDTH = 340


def _text_width(text: str, font_size: float) -> float:
    """A generous estimate of ``text``'s width in a sans-serif font (0.62 em per character):
    enough to keep labels apart without measuring fonts on the server."""
    return len(text) * font_size * 0.62


def nice_ceiling(value: float) -> tuple[int, int]:
    """An axis maximum at or above ``value`` and a round tick step (1, 2 or 5 times 10^k)."""
    value = max(value, 1)
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step)) if raw_step >= 1 else 1
    for factor in (1, 2, 5, 10):
        step = max(1, int(factor * magnitude))
        if step * 4 >= value:
            break
    top = step * math.ceil(value / step)
    return top, step


def polyline(coordinates: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The vertices of a running total's line through ``coordinates`` (x ascending, SVG user
    units) that draws the same at one unit's resolution: the first vertex, then of the
    vertices sharing one x (rounded to a unit) only the last. The line only rises, so what
    is dropped lies on the segment between the kept ones within the same unit. A programme
    of some years has a point per sampled day, more than the plot's width in units (issue 14:
    the dashboard stays under 300 KB)."""
    kept: list[tuple[float, float]] = []
    for vertex in coordinates:
        if len(kept) > 1 and round(kept[-1][0]) == round(vertex[0]):
            kept[-1] = vertex
        else:
            kept.append(vertex)
    return kept


def cumulative_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    start: dt.date,
    end: dt.date,
    points: Sequence[tuple[dt.date, int]],
    milestones: Sequence[tuple[dt.date, int]],
    projection: tuple[dt.date, int] | None = None,
    width: int = 640,
    height: int = 280,
    font_size: int = 11,
) -> SafeString:
    """A cumulative line (``points``) against the milestone line from zero at ``start``.

    ``width`` by ``height`` are the SVG's user units (its viewBox); the page scales the SVG to
    its column, so text shows at ``font_size`` * (column width / ``width``) CSS px. The
    dashboard draws each chart twice: 640 units wide for a desktop column and ``PHONE_WIDTH``
    units for a phone, where the text then stays at about its nominal size (issue 13: at
    390 px the 640-unit chart's 11-unit labels shrank to about 6 px). Date labels on the x
    axis that would overlap are left out (the start and the end always stay), and the legend
    wraps onto further lines when it does not fit the width."""
    legend_font = font_size + 1
    legend_line = round(legend_font * 1.6)
    left, right, top = 56, 20, 16
    # The legend's lines are laid out first: the plot gets what is left of the height.
    legend = [(ACTUAL_COLOUR, "", _("Resultat")), (MILESTONE_COLOUR, "6 4", _("Mål"))]
    if projection:
        legend.append((PROJECTION_COLOUR, "2 4", _("Fremskrivning")))
    legend_rows: list[list[tuple[str, str, str, float]]] = [[]]
    legend_x = float(left)
    for colour, dash, label in legend:
        item_width = 30 + _text_width(label, legend_font)
        if legend_rows[-1] and legend_x + item_width > width - right:
            legend_rows.append([])
            legend_x = float(left)
        legend_rows[-1].append((colour, dash, label, legend_x))
        legend_x += item_width + 24
    bottom = font_size + 26 + legend_line * len(legend_rows)
    plot_w, plot_h = width - left - right, height - top - bottom
    span = max(1, (end - start).days)
    values = [v for _d, v in points] + [v for _d, v in milestones]
    if projection:
        values.append(projection[1])
    y_max, step = nice_ceiling(max(values, default=1))

    def x(day: dt.date) -> float:
        return round(left + (min(max(day, start), end) - start).days / span * plot_w, 1)

    def y(value: float) -> float:
        return round(top + plot_h - value / y_max * plot_h, 1)

    parts: list[str] = [format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'class="chart" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false" '
        'font-family="{font}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
        w=width, h=height, id=chart_id, title=title, desc=description, font=FONT_FAMILY,
    )]
    # Horizontal grid and the y axis labels.
    for tick in range(0, y_max + 1, step):
        parts.append(format_html(
            '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" stroke-width="1"/>'
            '<text x="{tx}" y="{ty}" font-size="{fs}" text-anchor="end" fill="{t}">{v}</text>',
            x1=left, x2=left + plot_w, y=y(tick), c=GRID_COLOUR, tx=left - 6,
            ty=round(y(tick) + font_size * 0.35, 1), fs=font_size, t=TEXT_COLOUR, v=tick,
        ))
    # X axis with the start, the milestones' deadlines and the end.
    parts.append(format_html(
        '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" stroke-width="1"/>',
        x1=left, x2=left + plot_w, y=top + plot_h, c=TEXT_COLOUR,
    ))
    ticks = sorted({start, end, *(d for d, _v in milestones)})
    labels = {day: date_format(day, "SHORT_DATE_FORMAT") for day in ticks}
    # The x range each label covers (start and end are anchored at their edge of the text).
    def span_of(day: dt.date) -> tuple[float, float]:
        label_width = _text_width(labels[day], font_size)
        if day == start:
            return x(day), x(day) + label_width
        if day == end:
            return x(day) - label_width, x(day)
        return x(day) - label_width / 2, x(day) + label_width / 2

    gap = font_size
    shown = [start]
    end_from = span_of(end)[0] if end != start else math.inf
    for day in ticks:
        if day in (start, end):
            continue
        low, high = span_of(day)
        if low >= span_of(shown[-1])[1] + gap and high + gap <= end_from:
            shown.append(day)
    if end != start:
        shown.append(end)
    for day in shown:
        tick_x = x(day)
        anchor = "start" if day == start else "end" if day == end else "middle"
        parts.append(format_html(
            '<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{c}" stroke-width="1"/>'
            '<text x="{x}" y="{ty}" font-size="{fs}" text-anchor="{a}" fill="{t}">{label}</text>',
            x=tick_x, y1=top + plot_h, y2=top + plot_h + 4, c=TEXT_COLOUR,
            ty=top + plot_h + 6 + font_size, fs=font_size, a=anchor, t=TEXT_COLOUR,
            label=labels[day],
        ))
    # The milestone line: from zero at the start through every milestone.
    milestone_path = [(start, 0), *sorted(milestones)]
    parts.append(format_html(
        '<polyline points="{p}" fill="none" stroke="{c}" stroke-width="2" '
        'stroke-dasharray="6 4"/>',
        p=" ".join(f"{x(d)},{y(v)}" for d, v in milestone_path), c=MILESTONE_COLOUR,
    ))
    for day, value in milestones:
        parts.append(format_html(
            '<circle cx="{cx}" cy="{cy}" r="4" fill="{c}"/>', cx=x(day), cy=y(value),
            c=MILESTONE_COLOUR,
        ))
    if points:
        parts.append(format_html(
            '<polyline points="{p}" fill="none" stroke="{c}" stroke-width="2.5"/>',
            p=" ".join(f"{px},{py}" for px, py in polyline([(x(d), y(v)) for d, v in points])),
            c=ACTUAL_COLOUR,
        ))
        if projection:
            last_day, last_value = points[-1]
            parts.append(format_html(
                '<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{c}" stroke-width="2" '
                'stroke-dasharray="2 4"/>',
                x1=x(last_day), y1=y(last_value), x2=x(projection[0]), y2=y(projection[1]),
                c=PROJECTION_COLOUR,
            ))
    # Legend under the axis (colour is never the only cue: the lines differ in dash pattern).
    for row_index, row in enumerate(legend_rows):
        legend_y = top + plot_h + font_size + 26 + legend_line * row_index
        for colour, dash, label, item_x in row:
            parts.append(format_html(
                '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" stroke-width="2.5"{d}/>'
                '<text x="{tx}" y="{ty}" font-size="{fs}" fill="{t}">{label}</text>',
                x1=item_x, x2=item_x + 24, y=legend_y, c=colour,
                d=mark_safe(f' stroke-dasharray="{escape(dash)}"') if dash else "",
                tx=item_x + 30, ty=round(legend_y + legend_font * 0.35, 1), fs=legend_font,
                t=TEXT_COLOUR, label=label,
            ))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece above is escaped by format_html
