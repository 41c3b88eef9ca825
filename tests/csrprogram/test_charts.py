"""The dashboard's SVG charts (csrprogram/charts.py): text that stays readable on a phone,
date labels that never overlap, a legend that wraps (issue 13)."""

import datetime as dt
import re

from django.utils import translation

from csrprogram import charts

D = dt.date


def draw(**size) -> str:
    with translation.override("da"):
        return str(charts.cumulative_chart(
            chart_id="c", title="Borgere i job over tid", description="…",
            start=D(2017, 1, 1), end=D(2018, 12, 31),
            points=[(D(2017, 1, 1), 0), (D(2017, 6, 1), 40)],
            milestones=[(D(2017, 12, 31), 100), (D(2018, 1, 31), 120), (D(2018, 12, 31), 150)],
            projection=(D(2018, 12, 31), 130), **size))


def x_labels(svg: str) -> list[str]:
    return re.findall(r'>(\d\d\.\d\d\.\d{4})</text>', svg)


def test_the_phone_drawing_keeps_its_text_large_and_its_labels_apart():
    svg = draw(width=charts.PHONE_WIDTH, height=300, font_size=12)
    assert f'viewBox="0 0 {charts.PHONE_WIDTH} 300"' in svg
    assert min(int(size) for size in re.findall(r'font-size="(\d+)"', svg)) == 12
    # 340 units leave room for the start, the first deadline and the end; 31.01.2018 would
    # overlap 31.12.2017 and is left out.
    assert x_labels(svg) == ["01.01.2017", "31.12.2017", "31.12.2018"]
    # "Resultat" and "Mål" share the legend's first line; "Fremskrivning" wraps to a second
    # line at the left margin (56 + 30 units).
    legend = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" font-size="13" fill="[^"]+">([^<]+)<',
                        svg)
    assert [label for _x, _y, label in legend] == ["Resultat", "Mål", "Fremskrivning"]
    (_x1, y1, _l1), (_x2, y2, _l2), (x3, y3, _l3) = legend
    assert y1 == y2
    assert float(y3) > float(y1)
    assert float(x3) == 86


def test_the_desktop_drawing_is_unchanged_in_size():
    svg = draw()
    assert 'viewBox="0 0 640 280"' in svg
    assert x_labels(svg) == ["01.01.2017", "31.12.2017", "31.12.2018"]
    legend_ys = set(re.findall(r'y="([\d.]+)" font-size="12"', svg))
    assert len(legend_ys) == 1  # one line


def test_a_line_keeps_one_column_of_vertices_per_unit_of_width():
    from csrprogram.charts import polyline

    # Ten vertices within one unit of x, a step up inside it, then two further columns.
    column = [(10.0 + i / 20, 100.0 - (5 if i >= 4 else 0)) for i in range(10)]
    line = polyline([(9.0, 100.0), *column, (11.0, 90.0), (12.0, 90.0), (12.2, 80.0)])
    # The first vertex, then the last of each unit of x.
    assert line == [(9.0, 100.0), (10.45, 95.0), (11.0, 90.0), (12.2, 80.0)]


def test_a_long_programme_draws_no_more_vertices_than_its_width_allows():
    from csrprogram.charts import cumulative_chart

    start = dt.date(2020, 1, 1)
    points = [(start + dt.timedelta(days=i), i) for i in range(3 * 365)]
    svg = cumulative_chart(chart_id="c", title="t", description="d", start=start,
                           end=start + dt.timedelta(days=3 * 365), points=points,
                           milestones=[(start + dt.timedelta(days=3 * 365), 2000)])
    line = svg.split('stroke-width="2.5"')[0].rsplit('<polyline points="', 1)[1]
    assert len(line.split()) <= 640 + 1
    assert len(line.split()) < len(points) / 1.5
