from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DESIGN.md §1. Each is a Django group of the same (stable, English) name."""

    CONSULTANT = "consultant", _("Konsulent")
    TEAM_LEADER = "team_leader", _("Teamleder")
    COMPANY_CONTACT = "company_contact", _("Virksomhedskontakt")
    ADMINISTRATOR = "administrator", _("Administrator")


class TargetGroup(models.TextChoices):
    ACTIVITY_READY = "activity_ready", _("Aktivitetsparat kontanthjælpsmodtager")
    JOB_READY = "job_ready", _("Jobparat kontanthjælpsmodtager")
    FLEX = "flex", _("Ledighedsydelsesmodtager / fleksjobber")
    SICKNESS_BENEFIT = "sickness_benefit", _("Sygedagpengemodtager")
    INTEGRATION = "integration", _("Integrationsborger")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Langtidsledig (over 1 år)")
    DISABILITY = "disability", _("Person med funktionsnedsættelse")
    MENTALLY_VULNERABLE = "mentally_vulnerable", _("Psykisk sårbar")


class TargetKind(models.TextChoices):
    ABSOLUTE = "absolute", _("Absolut tal")
    PERCENTAGE = "percentage", _("Procent af et andet måltal")


class PercentageBasis(models.TextChoices):
    """What a percentage target is a percentage of: the other target's value or its actual."""

    TARGET = "target", _("det andet måltals mål")
    ACTUAL = "actual", _("det andet måltals resultat")


class ReportJobStatus(models.TextChoices):
    PENDING = "pending", _("I kø")
    RUNNING = "running", _("Dannes")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Fejlet")


class PlacementKind(models.TextChoices):
    """The kinds of openings and placements. Defined in the base because programmes choose
    which kinds count as a job and which are measured for retention (placements uses it as
    ``OpeningKind``)."""

    INTERNSHIP = "internship", _("Virksomhedspraktik")
    CSR_JOB = "csr_job", _("CSR-job (småjob)")
    FLEX_JOB = "flex_job", _("Fleksjob")
    WAGE_SUBSIDY = "wage_subsidy", _("Løntilskud")
    ORDINARY_JOB = "ordinary_job", _("Ordinært job")
