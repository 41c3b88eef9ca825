"""The placements app's part of a citizen's export and erasure (see ``citizens.rights``).

The erasure keeps the candidacies and placements (the programme's figures count them: a
placement counted in a target stays counted) and empties their free text.
"""

from __future__ import annotations

from citizens.rights import ERASED, date_text, field_label
from placements.models import Candidacy, Placement


def citizen_export(citizen) -> dict:
    """The citizen's candidacies (jobmatch) and placements (forløb), labelled."""
    from django.utils.translation import gettext as _

    candidacies = [{
        field_label(Candidacy, "opening"): str(candidacy.opening),
        field_label(Candidacy, "status"): candidacy.get_status_display(),
        field_label(Candidacy, "proposed_at"): date_text(candidacy.proposed_at),
        field_label(Candidacy, "motivation"): candidacy.motivation,
        field_label(Candidacy, "presented_on"): date_text(candidacy.presented_on),
        field_label(Candidacy, "identity_disclosed_at"): date_text(
            candidacy.identity_disclosed_at),
        field_label(Candidacy, "decided_on"): date_text(candidacy.decided_on),
        field_label(Candidacy, "decline_reason"): candidacy.decline_reason,
    } for candidacy in (Candidacy.objects.filter(citizen=citizen)
                        .select_related("opening__company").order_by("proposed_at", "pk"))]
    placements = [{
        field_label(Placement, "company"): str(placement.company),
        field_label(Placement, "kind"): placement.get_kind_display(),
        field_label(Placement, "start_date"): date_text(placement.start_date),
        field_label(Placement, "weekly_hours"): placement.weekly_hours,
        field_label(Placement, "status"): placement.get_status_display(),
        field_label(Placement, "end_date"): date_text(placement.end_date),
        field_label(Placement, "outcome"): placement.get_outcome_display(),
        field_label(Placement, "end_note"): placement.end_note,
        field_label(Placement, "retained"): placement.retained,
    } for placement in (Placement.objects.filter(citizen=citizen)
                        .select_related("company").order_by("start_date", "pk"))]
    return {
        "candidacies": {"title": _("Jobmatch"), "records": candidacies},
        "placements": {"title": _("Forløb"), "records": placements},
    }


def citizen_erase(citizen, *, actor) -> int:
    """Empty the free text of the citizen's candidacies and placements; the rows stay.

    A declined candidacy must have a reason (a database constraint), so it gets ``[slettet]``.
    """
    changed = Candidacy.objects.filter(citizen=citizen).update(
        motivation="", hours_override_reason="")
    changed += Candidacy.objects.filter(citizen=citizen).exclude(decline_reason="").update(
        decline_reason=ERASED)
    changed += Placement.objects.filter(citizen=citizen).update(
        end_note="", hours_override_reason="")
    return changed
