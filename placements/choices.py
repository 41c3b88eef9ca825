from django.db import models
from django.utils.translation import gettext_lazy as _

from csrprogram.choices import PlacementKind

# The kinds live in the base: a programme's settings name them (which count as a job, which
# are measured for retention).
OpeningKind = PlacementKind


class OpeningSource(models.TextChoices):
    SPOT_A_JOB = "spot_a_job", _("”Spot et job”-ark")
    EVENT = "event", _("Arrangement")
    COMPANY_VISIT = "company_visit", _("Virksomhedsbesøg")
    PHONE = "phone", _("Telefon")
    OTHER = "other", _("Andet")


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("Åben")
    FILLED = "filled", _("Besat")
    WITHDRAWN = "withdrawn", _("Trukket tilbage")


class CandidacyStatus(models.TextChoices):
    PROPOSED = "proposed", _("Foreslået")
    PRESENTED = "presented", _("Præsenteret for virksomheden")
    ACCEPTED = "accepted", _("Valgt af virksomheden")
    DECLINED = "declined", _("Fravalgt af virksomheden")
    WITHDRAWN = "withdrawn", _("Trukket tilbage")
    # Closed by the system when the opening's last position was filled by another candidate
    # (issue 13): the label is the reason both the consultant and the company read.
    CLOSED = "closed", _("Lukket: stillingen er besat af en anden kandidat")


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", _("I gang")
    ENDED = "ended", _("Afsluttet")
    COMPLETED = "completed", _("Gennemført")


class PlacementOutcome(models.TextChoices):
    ORDINARY_JOB = "ordinary_job", _("Ordinært job")
    EDUCATION = "education", _("Uddannelse")
    ENDED_BY_EMPLOYER = "ended_by_employer", _("Afsluttet af virksomheden")
    DROPPED_OUT = "dropped_out", _("Frafald")
    OTHER = "other", _("Andet")
