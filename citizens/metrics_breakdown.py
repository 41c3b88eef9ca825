"""One aggregate query that splits a metric's records by consultant, target group or company.

Shared by the citizens and placements metrics (placements may import citizens).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Aggregate, QuerySet
from django.utils.translation import gettext as _

from csrprogram.choices import TargetGroup
from csrprogram.metrics import BreakdownRow, Dimension


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
        result.append(BreakdownRow(key=key, label=label, count=row["n"],
                                   url=url(key) if key else None))
    return sorted(result, key=lambda r: (-r.count, r.label))
