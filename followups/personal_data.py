"""The follow-ups app's part of a citizen's export and erasure (see ``citizens.rights``).

The erasure keeps the visits (the on-time and retention figures count them) and empties what
was written about the citizen at them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from citizens.rights import ERASED, date_text, field_label
from followups.models import Visit, VisitReschedule


def citizen_export(citizen) -> dict:
    """The follow-up visits of the citizen's placements, with notes and date changes."""
    visits = []
    for visit in (Visit.objects.filter(placement__citizen=citizen)
                  .select_related("placement__company").prefetch_related("reschedules")
                  .order_by("due_date", "pk")):
        visits.append({
            field_label(Visit, "placement"): str(visit.placement.company),
            field_label(Visit, "kind"): visit.get_kind_display(),
            field_label(Visit, "due_date"): date_text(visit.due_date),
            field_label(Visit, "status"): visit.get_status_display(),
            field_label(Visit, "done_on"): date_text(visit.done_on),
            field_label(Visit, "met_whom"): visit.met_whom,
            field_label(Visit, "match_quality"): visit.get_match_quality_display(),
            field_label(Visit, "notes"): visit.notes,
            field_label(Visit, "agreed_actions"): visit.agreed_actions,
            field_label(Visit, "cancel_reason"): visit.cancel_reason,
            _("Flytninger"): [
                f"{date_text(r.previous_due_date)} → {date_text(r.new_due_date)}: {r.reason}"
                for r in visit.reschedules.all()],
        })
    return {"visits": {"title": _("Opfølgningsbesøg"), "records": visits}}


def citizen_erase(citizen, *, actor) -> int:
    """Empty the notes, agreed actions, whom was met and reasons of the citizen's visits."""
    changed = Visit.objects.filter(placement__citizen=citizen).update(
        notes="", agreed_actions="", met_whom="", cancel_reason="")
    changed += VisitReschedule.objects.filter(visit__placement__citizen=citizen).update(
        reason=ERASED)
    return changed
