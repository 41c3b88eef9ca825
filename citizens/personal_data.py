"""The citizens app's part of a citizen's export and erasure (see ``citizens.rights``).

The citizen's record, enrolments, consents and access log. The erasure anonymises the citizen
row in place (it stays, with its target group, hours and dates, because the programme's
figures count it) and empties the free text of the enrolments and consents.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from citizens.models import AccessLog, Citizen, Consent, Enrolment


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _datetime(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name).capitalize()


def citizen_export(citizen: Citizen) -> dict:
    """The record, its enrolments, consents and access log, labelled in the active language.

    The CPR number appears masked only (DESIGN.md §6: never in a PDF); the citizen knows it.
    """
    record = {
        _label(Citizen, "name"): citizen.name,
        _("CPR-nummer"): citizen.cpr_masked,
        _label(Citizen, "email"): citizen.email,
        _label(Citizen, "phone"): citizen.phone,
        _label(Citizen, "address"): " ".join(
            part for part in (citizen.address, citizen.postcode, citizen.city) if part),
        _label(Citizen, "target_group"): citizen.get_target_group_display(),
        _label(Citizen, "competencies"): citizen.competencies,
        _label(Citizen, "wishes"): citizen.get_wishes_display(),
        _label(Citizen, "accommodation_needs"): citizen.accommodation_needs,
        _label(Citizen, "weekly_hours"): citizen.weekly_hours,
        _label(Citizen, "consultant"): str(citizen.consultant or ""),
        _label(Citizen, "created_at"): _datetime(citizen.created_at),
        _label(Citizen, "restricted_at"): _datetime(citizen.restricted_at),
    }
    enrolments = [{
        _label(Enrolment, "programme"): str(enrolment.programme),
        _label(Enrolment, "enrolled_on"): _date(enrolment.enrolled_on),
        _label(Enrolment, "status"): enrolment.get_status_display(),
        _label(Enrolment, "exit_date"): _date(enrolment.exit_date),
        _label(Enrolment, "exit_reason"): enrolment.get_exit_reason_display(),
        _label(Enrolment, "notes"): enrolment.notes,
    } for enrolment in citizen.enrolments.select_related("programme").order_by("enrolled_on")]
    consents = [{
        _label(Consent, "kind"): consent.get_kind_display(),
        _label(Consent, "given_on"): _date(consent.given_on),
        _label(Consent, "withdrawn_on"): _date(consent.withdrawn_on),
        _label(Consent, "note"): consent.note,
    } for consent in citizen.consents.order_by("given_on", "pk")]
    access = [{
        _label(AccessLog, "at"): _datetime(entry.at),
        _label(AccessLog, "actor"): str(entry.actor or _("Systemet")),
        _label(AccessLog, "action"): entry.get_action_display(),
        _label(AccessLog, "purpose"): entry.purpose,
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

