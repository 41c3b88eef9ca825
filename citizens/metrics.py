"""Citizen metrics for programme targets and the dashboard (see csrprogram.metrics).

The "into job / education" metrics need placements and live in ``placements/metrics.py``
(citizens sits below placements).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citizens.models import Enrolment
from csrprogram import metrics

CITIZEN_FIELDS = ("citizen__consultant", "citizen__consultant__first_name",
                  "citizen__consultant__last_name", "citizen__consultant__email",
                  "citizen__target_group")


def citizen_rows(row: dict) -> dict[metrics.Dimension, tuple[str, str]]:
    """A citizen is attributed to their assigned job consultant and their target group.

    ``row`` holds the ``CITIZEN_FIELDS`` of a query through ``citizen``.
    """
    return {
        metrics.Dimension.CONSULTANT: metrics.person_row(
            row["citizen__consultant"], row["citizen__consultant__first_name"],
            row["citizen__consultant__last_name"], row["citizen__consultant__email"]),
        metrics.Dimension.TARGET_GROUP: metrics.target_group_row(row["citizen__target_group"]),
    }


def citizen_list_url(params: dict) -> str:
    return f"{reverse('citizens:citizen-list')}?{urlencode(params)}"


@metrics.register
class CitizensEnrolled(metrics.ItemMetric):
    key = "citizens_enrolled"
    label = _("Borgere visiteret")
    description = _("Forskellige borgere visiteret til programmet, talt én gang på datoen for "
                    "deres første visitering (en genvisitering tæller ikke igen).")
    breakdowns = (metrics.Dimension.CONSULTANT, metrics.Dimension.TARGET_GROUP)

    def items(self, programme, *, end):
        rows = (Enrolment.objects.filter(programme=programme, enrolled_on__lte=end)
                .values("citizen_id", "enrolled_on", *CITIZEN_FIELDS)
                .order_by("enrolled_on", "pk"))
        return metrics.first_items(rows, keys=citizen_rows, item="citizen_id",
                                   day="enrolled_on")

    def list_params(self, programme, *, start, end):
        return {"programme": programme.pk, "enrolled_from": start.isoformat(),
                "enrolled_to": end.isoformat()}

    def list_url(self, params):
        return citizen_list_url(params)
