from django.db import models
from django.utils.translation import gettext_lazy as _


class JobCategory(models.TextChoices):
    """Job categories used both for citizens' wishes and for openings (the matching key)."""

    RETAIL = "retail", _("Butik og detailhandel")
    WAREHOUSE = "warehouse", _("Lager og logistik")
    CLEANING = "cleaning", _("Rengøring")
    KITCHEN = "kitchen", _("Køkken og kantine")
    CARE = "care", _("Pleje og omsorg")
    OFFICE = "office", _("Kontor og administration")
    CONSTRUCTION = "construction", _("Byggeri og håndværk")
    GARDENING = "gardening", _("Gartneri og grønne områder")
    PRODUCTION = "production", _("Produktion og industri")
    TRANSPORT = "transport", _("Transport og chauffør")
    HOSPITALITY = "hospitality", _("Hotel og restaurant")
    MAINTENANCE = "maintenance", _("Service og pedel")
    IT = "it", _("IT")
    OTHER = "other", _("Andet")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    IN_JOB = "in_job", _("I job")
    CLOSED = "closed", _("Afsluttet")
    DROPPED_OUT = "dropped_out", _("Frafaldet")


class ExitReason(models.TextChoices):
    ORDINARY_JOB = "ordinary_job", _("Ordinært job")
    EDUCATION = "education", _("Uddannelse")
    OTHER = "other", _("Andet")


class ConsentKind(models.TextChoices):
    PARTICIPATION = "participation", _("Deltagelse i programmet")
    CASE_STORY = "case_story", _("Offentliggørelse af anonymiseret casebeskrivelse")
    # Required before a candidate is presented to an employer (issue 16, part 6).
    EMPLOYER_SHARING = "employer_sharing", _("Deling af profilen med virksomheder")
    # Telling one's own story, in person and by name, at a company event (issue 15); not the
    # anonymised case description of CASE_STORY.
    EVENT_STORY = "event_story", _("Fortælle sin historie ved arrangementer")


class AccessAction(models.TextChoices):
    VIEW = "view", _("Visning")
    LIST = "list", _("Visning i liste")
    CREATE = "create", _("Oprettelse")
    CHANGE = "change", _("Ændring")
    LOOKUP = "lookup", _("CPR-opslag")
    EXPORT = "export", _("Eksport")
    DISCLOSE = "disclose", _("Videregivelse til virksomhed")
    ERASE = "erase", _("Sletning")
    RESTRICT = "restrict", _("Begrænsning")


class ErasureKind(models.TextChoices):
    REQUEST = "request", _("Borgerens anmodning")
    RETENTION = "retention", _("Opbevaringsperioden udløbet")


class RetentionReviewStatus(models.TextChoices):
    PENDING = "pending", _("Afventer godkendelse")
    APPROVED = "approved", _("Godkendt – anonymiseres")
    DONE = "done", _("Gennemført")
    REJECTED = "rejected", _("Afvist")
