"""The placements app's part of a citizen's export and erasure (see ``citizens.rights``).

The erasure keeps the candidacies and placements (the programme's figures count them: a
placement counted in a target stays counted) and empties their free text.
"""

from __future__ import annotations

from django.utils.formats import date_format

from citizens.rights import ERASED
from placements.models import Candidacy, Placement


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name).capitalize()


def citizen_export(citizen) -> dict:
    """The citizen's candidacies (jobmatch) and placements (forløb), labelled."""
    from django.utils.translation import gettext as _

    candidacies = [{
        _label(Candidacy, "opening"): str(candidacy.opening),
        _label(Candidacy, "status"): candidacy.get_status_display(),
        _label(Candidacy, "proposed_at"): _date(candidacy.proposed_at.date()),
        _label(Candidacy, "motivation"): candidacy.motivation,
        _label(Candidacy, "presented_on"): _date(candidacy.presented_on),
        _label(Candidacy, "identity_disclosed_at"): _date(
            candidacy.identity_disclosed_at.date() if candidacy.identity_disclosed_at
            else None),
        _label(Candidacy, "decided_on"): _date(candidacy.decided_on),
        _label(Candidacy, "decline_reason"): candidacy.decline_reason,
    } for candidacy in (Candidacy.objects.filter(citizen=citizen)
                        .select_related("opening__company").order_by("proposed_at", "pk"))]
    placements = [{
        _label(Placement, "company"): str(placement.company),
        _label(Placement, "kind"): placement.get_kind_display(),
        _label(Placement, "start_date"): _date(placement.start_date),
        _label(Placement, "weekly_hours"): placement.weekly_hours,
        _label(Placement, "status"): placement.get_status_display(),
        _label(Placement, "end_date"): _date(placement.end_date),
        _label(Placement, "outcome"): placement.get_outcome_display(),
        _label(Placement, "end_note"): placement.end_note,
        _label(Placement, "retained"): placement.retained,
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
