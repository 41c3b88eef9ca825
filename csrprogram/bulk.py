"""Set-based writes: many rows, different values, one UPDATE.

``bulk_update`` writes ``CASE WHEN id = 1 THEN … WHEN id = 2 THEN …`` with one branch per row,
which the database evaluates branch by branch for every row: quadratic, seconds for a few
hundred rows (issue 14, the 3-month closing). When many rows share few distinct values (a
closing day, a flag), one branch per *value* with the rows' ids in an ``IN`` list does the same
in one statement whose size grows with the number of distinct values. Plain Django
expressions, so it runs on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Field, Value, When


def case_by_value(objects: Iterable[Any], attribute: str, *, output_field: Field) -> Case:
    """A ``CASE`` giving each object's row the value of ``attribute`` on the object.

    ``objects`` are model instances (anything with ``pk`` and ``attribute``), already saved;
    use it as ``Model.objects.filter(pk__in=pks).update(field=case_by_value(…))`` with the
    same objects. One ``WHEN pk IN (…)`` per distinct value, in order of first appearance;
    ``None`` is a value like any other (``NULL``). Rows of other primary keys would get the
    ``ELSE`` (``NULL``), so filter the update to ``objects``.
    """
    groups: dict[Any, list] = {}
    for instance in objects:
        groups.setdefault(getattr(instance, attribute), []).append(instance.pk)
    return Case(*(When(pk__in=pks, then=Value(value, output_field=output_field))
                  for value, pks in groups.items()),
                output_field=output_field)
