from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    HALF_MONTH = "half_month", _("½ måned efter start")
    TWO_AND_HALF_MONTHS = "two_and_half_month", _("2½ måned efter start")
    EXTRA = "extra", _("Ekstra besøg")
    AFTERCARE = "aftercare", _("Efterværn")


# The two visits of the schedule: at most one of each per placement.
SCHEDULED_KINDS = (VisitKind.HALF_MONTH, VisitKind.TWO_AND_HALF_MONTHS)


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    DONE = "done", _("Gennemført")
    CANCELLED = "cancelled", _("Aflyst")


class MatchQuality(models.TextChoices):
    GOOD = "good", _("Godt match")
    SOME_ISSUES = "some_issues", _("Enkelte udfordringer")
    POOR = "poor", _("Dårligt match")


class Period(models.TextChoices):
    """The work list's buckets of open visits."""

    OVERDUE = "overdue", _("Overskredet")
    THIS_WEEK = "this_week", _("Denne uge")
    UPCOMING = "upcoming", _("Kommende")
    DONE = "done", _("Gennemførte")
