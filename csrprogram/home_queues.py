"""The base's queue on the team leader's home page: targets behind their projection.

The dashboard's verdict (``csrprogram.dashboard``, from the metric registry) is computed for
the running programmes, at most ``MAX_PROGRAMMES`` of them (those ending first), so the page
keeps a fixed number of queries however many programmes there are.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csrprogram.dashboard import Status, programme_dashboard
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
        dashboard = programme_dashboard(programme=programme, as_of=today,
                                        with_breakdowns=False, with_charts=False)
        behind += [(programme, row) for row in dashboard.rows if row.status == Status.BEHIND]
    items = [QueueItem(
        label=row.metric_label,
        detail=_("%(actual)s af %(target)s, fremskrevet %(projected)s · %(programme)s") % {
            "actual": row.actual, "target": row.target_value, "projected": row.projected,
            "programme": programme.name},
        url=reverse("programme-dashboard", args=[programme.pk]),
        action_label=_("Se dashboardet"), day=row.target.deadline, day_label=_("frist"),
        warning=True,
    ) for programme, row in behind[:limit]]
    return QueueResult(count=len(behind), items=items)


register(HomeQueue(
    key="targets-behind", title=gettext_lazy("Måltal, der er bagud"),
    ability="csrprogram.monitor_programme", items=targets_behind_queue, order=40,
    empty_text=gettext_lazy("Ingen måltal i de igangværende programmer er bagud."),
))
