"""The base's queue on the team leader's home page: targets behind their projection.

The dashboard's verdict (``csrprogram.dashboard``, from the metric registry) is computed for
the running programmes, at most ``MAX_PROGRAMMES`` of them (those ending first), so the page
keeps a fixed number of queries however many programmes there are. Each programme's verdicts
are read from the dashboard as its page shows it (about 45 queries, half a second at municipal
scale, to compute): one computation kept in the cache for ``CSR_DASHBOARD_CACHE_SECONDS``
(issue 14), shared with the dashboard page.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csrprogram.dashboard import Status, dashboard_for_display
from csrprogram.queues import HomeQueue, QueueItem, QueueResult, register
from csrprogram.selectors import programmes_visible_to

MAX_PROGRAMMES = 5


def targets_behind_queue(user, today: dt.date, limit: int) -> QueueResult:
    """Targets of running programmes whose projection falls short ("Bagud")."""
    programmes = (programmes_visible_to(user, "monitor")
                  .filter(starts_on__lte=today, ends_on__gte=today)
                  .order_by("ends_on", "pk")[:MAX_PROGRAMMES])
    behind = []
    for programme in programmes:
        behind += [(programme, row) for row in _behind_rows(programme, today)]
    items = [QueueItem(
        label=row["label"],
        detail=_("%(actual)s af %(target)s, fremskrevet %(projected)s · %(programme)s") % {
            "actual": row["actual"], "target": row["target"], "projected": row["projected"],
            "programme": programme.name},
        url=reverse("programme-dashboard", args=[programme.pk]),
        action_label=_("Se dashboardet"), day=row["deadline"], day_label=_("frist"),
        warning=True,
    ) for programme, row in behind[:limit]]
    return QueueResult(count=len(behind), items=items)


def _behind_rows(programme, today: dt.date) -> list[dict]:
    """The programme's targets behind their projection on ``today``, as plain values
    (label, actual, target, projected, deadline), from the dashboard as its page shows it
    (``dashboard_for_display``: one computation kept for ``CSR_DASHBOARD_CACHE_SECONDS``)."""
    board = dashboard_for_display(programme=programme, as_of=today)
    return [{"label": str(row.metric_label), "actual": row.actual,
             "target": row.target_value, "projected": row.projected,
             "deadline": row.target.deadline}
            for row in board.rows if row.status == Status.BEHIND]


register(HomeQueue(
    key="targets-behind", title=gettext_lazy("Måltal, der er bagud"),
    ability="csrprogram.monitor_programme", items=targets_behind_queue, order=40,
    empty_text=gettext_lazy("Ingen måltal i de igangværende programmer er bagud."),
))
