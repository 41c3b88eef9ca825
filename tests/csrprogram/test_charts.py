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
