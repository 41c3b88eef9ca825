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
