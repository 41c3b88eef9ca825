"""The follow-ups app's part of a citizen's export and erasure (see ``citizens.rights``).

The erasure keeps the visits (the on-time and retention figures count them) and empties what
was written about the citizen at them.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from citizens.rights import ERASED
from followups.models import Visit, VisitReschedule


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name).capitalize()


def citizen_export(citizen) -> dict:
    """The follow-up visits of the citizen's placements, with notes and date changes."""
    visits = []
    for visit in (Visit.objects.filter(placement__citizen=citizen)
                  .select_related("placement__company").prefetch_related("reschedules")
                  .order_by("due_date", "pk")):
        visits.append({
            _label(Visit, "placement"): str(visit.placement.company),
            _label(Visit, "kind"): visit.get_kind_display(),
            _label(Visit, "due_date"): _date(visit.due_date),
            _label(Visit, "status"): visit.get_status_display(),
            _label(Visit, "done_on"): _date(visit.done_on),
            _label(Visit, "met_whom"): visit.met_whom,
            _label(Visit, "match_quality"): visit.get_match_quality_display(),
            _label(Visit, "notes"): visit.notes,
            _label(Visit, "agreed_actions"): visit.agreed_actions,
            _label(Visit, "cancel_reason"): visit.cancel_reason,
            _("Flytninger"): [
                f"{_date(r.previous_due_date)} → {_date(r.new_due_date)}: {r.reason}"
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
