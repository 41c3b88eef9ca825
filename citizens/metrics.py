"""Citizen metrics for programme targets and the dashboard (see csrprogram.metrics).

The "into job / education" metrics need placements and live in ``placements/metrics.py``
(citizens sits below placements).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citizens.models import Citizen, Enrolment
from csrprogram import metrics


class CitizenItemMetric(metrics.ItemMetric):
    """Counts citizens (the events' ``item`` is the citizen's id): a citizen is attributed to
    their assigned job consultant and their target group, joined to the counted citizens
    only."""

    breakdowns = (metrics.Dimension.CONSULTANT, metrics.Dimension.TARGET_GROUP)
    item_model = "citizens.Citizen"
    item_keys = {metrics.Dimension.CONSULTANT: "consultant",
                 metrics.Dimension.TARGET_GROUP: "target_group"}


def citizen_target_group(field: str = "citizen_id") -> Subquery:
    """The target group of the citizen in ``field``, as a scalar subquery read by primary key
    (a key of ``metrics.events``: cheaper than a join when a programme's few thousand events
    would make PostgreSQL hash all 50,000 citizens)."""
    return Subquery(Citizen.objects.filter(pk=OuterRef(field)).values("target_group")[:1])


def citizen_list_url(params: dict) -> str:
    return f"{reverse('citizens:citizen-list')}?{urlencode(params)}"


@metrics.register
class CitizensEnrolled(CitizenItemMetric):
    key = "citizens_enrolled"
    label = _("Borgere visiteret")
    description = _("Forskellige borgere visiteret til programmet, talt én gang på datoen for "
                    "deres første visitering (en genvisitering tæller ikke igen).")

    def events(self, programme):
        return [metrics.events(Enrolment.objects.filter(programme=programme),
                               item="citizen_id", day="enrolled_on", order=("pk",))]

    def list_params(self, programme, *, start, end):
        return {"programme": programme.pk, "enrolled_from": start.isoformat(),
                "enrolled_to": end.isoformat()}

    def list_url(self, params):
        return citizen_list_url(params)
