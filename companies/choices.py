from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeBand(models.TextChoices):
    MICRO = "micro", _("1–9 ansatte")
    SMALL = "small", _("10–49 ansatte")
    MEDIUM = "medium", _("50–249 ansatte")
    LARGE = "large", _("250 eller flere ansatte")


class Language(models.TextChoices):
    DANISH = "da", _("Dansk")
    ENGLISH = "en", _("Engelsk")


class EvidenceSource(models.TextChoices):
    """Where an assessment finds the evidence for a criterion by itself (``CsrCriterion
    .evidence_source``). The app that holds the records registers the source's function in
    ``companies.sections.register_criterion_evidence``; this app only names it."""

    MENTORS = "mentors", _("Uddannede medarbejdermentorer (mentorkurser)")
