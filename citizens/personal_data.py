"""The citizens app's part of a citizen's export and erasure (see ``citizens.rights``).

The citizen's record, enrolments, consents and access log. The erasure anonymises the citizen
row in place (it stays, with its target group, hours and dates, because the programme's
figures count it) and empties the free text of the enrolments and consents.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.models import AccessLog, Citizen, Consent, Enrolment
from citizens.rights import date_text, field_label


def citizen_export(citizen: Citizen) -> dict:
    """The record, its enrolments, consents and access log, labelled in the active language.

    The CPR number appears masked only (DESIGN.md §6: never in a PDF); the citizen knows it.
    """
    record = {
        field_label(Citizen, "name"): citizen.name,
        _("CPR-nummer"): citizen.cpr_masked,
        field_label(Citizen, "email"): citizen.email,
        field_label(Citizen, "phone"): citizen.phone,
        field_label(Citizen, "address"): " ".join(
            part for part in (citizen.address, citizen.postcode, citizen.city) if part),
        field_label(Citizen, "target_group"): citizen.get_target_group_display(),
        field_label(Citizen, "competencies"): citizen.competencies,
        field_label(Citizen, "wishes"): citizen.get_wishes_display(),
        field_label(Citizen, "accommodation_needs"): citizen.accommodation_needs,
        field_label(Citizen, "weekly_hours"): citizen.weekly_hours,
        field_label(Citizen, "consultant"): str(citizen.consultant or ""),
        field_label(Citizen, "created_at"): date_text(citizen.created_at),
        field_label(Citizen, "restricted_at"): date_text(citizen.restricted_at),
    }
    enrolments = [{
        field_label(Enrolment, "programme"): str(enrolment.programme),
        field_label(Enrolment, "enrolled_on"): date_text(enrolment.enrolled_on),
        field_label(Enrolment, "status"): enrolment.get_status_display(),
        field_label(Enrolment, "exit_date"): date_text(enrolment.exit_date),
        field_label(Enrolment, "exit_reason"): enrolment.get_exit_reason_display(),
        field_label(Enrolment, "notes"): enrolment.notes,
    } for enrolment in citizen.enrolments.select_related("programme").order_by("enrolled_on")]
    consents = [{
        field_label(Consent, "kind"): consent.get_kind_display(),
        field_label(Consent, "given_on"): date_text(consent.given_on),
        field_label(Consent, "withdrawn_on"): date_text(consent.withdrawn_on),
        field_label(Consent, "note"): consent.note,
    } for consent in citizen.consents.order_by("given_on", "pk")]
    access = [{
        field_label(AccessLog, "at"): date_text(entry.at),
        field_label(AccessLog, "actor"): str(entry.actor or _("Systemet")),
        field_label(AccessLog, "action"): entry.get_action_display(),
        field_label(AccessLog, "purpose"): entry.purpose,
    } for entry in citizen.access_logs.select_related("actor").order_by("at", "pk")]
    return {
        "citizen": {"title": _("Borgeroplysninger"), "records": [record]},
        "enrolments": {"title": _("Visiteringer"), "records": enrolments},
        "consents": {"title": _("Samtykker"), "records": consents},
        "access_log": {"title": _("Adgangslog"), "records": access},
    }


def citizen_erase(citizen: Citizen, *, actor) -> int:
    """Anonymise the citizen row and empty the enrolments' and consents' free text.

    ``QuerySet.update()`` on purpose: the change history must not receive the old values.
    The blind index gets a value no CPR number can have, so the row keeps the unique index.
    """
    now = timezone.now()
    changed = Citizen.objects.filter(pk=citizen.pk).update(
        name=_("Anonymiseret borger %(number)s") % {"number": citizen.pk},
        cpr_encrypted="", cpr_index=f"erased:{citizen.pk}", cpr_masked="",
        email="", phone="", address="", postcode="", city="", competencies="", wishes=[],
        accommodation_needs="", restriction_reason="", erased_at=now,
        restricted_at=citizen.restricted_at or now, updated_at=now)
    changed += Enrolment.objects.filter(citizen=citizen).exclude(notes="").update(notes="")
    changed += Consent.objects.filter(citizen=citizen).exclude(note="").update(note="")
    return changed

