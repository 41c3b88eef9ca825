from django.db import models
from django.utils.translation import gettext_lazy as _


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    SUBMITTED = "submitted", _("Sendt til godkendelse")
    PUBLISHED = "published", _("Offentliggjort")
    WITHDRAWN = "withdrawn", _("Trukket tilbage")


class StoryEventKind(models.TextChoices):
    CREATED = "created", _("Oprettet")
    SUBMITTED = "submitted", _("Sendt til godkendelse")
    RETURNED = "returned", _("Sendt tilbage med kommentar")
    PUBLISHED = "published", _("Offentliggjort")
    WITHDRAWN = "withdrawn", _("Trukket tilbage")
    CONSENT_WITHDRAWN = "consent", _("Afpubliceret: samtykket er trukket tilbage")
    FINDING_DISMISSED = "dismissed", _("Fund markeret som falsk alarm")


class FindingKind(models.TextChoices):
    NAME = "name", _("borgerens navn")
    CPR = "cpr", _("CPR-nummer")
    BIRTH_DATE = "birth_date", _("fødselsdato")
    ADDRESS = "address", _("adresse")
    PHONE = "phone", _("telefonnummer")
    EMAIL = "email", _("e-mailadresse")
    OTHER_NAME = "other_name", _("navn på en anden person i sagen")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Åben")
    FALSE_POSITIVE = "false_positive", _("Falsk alarm")


class CollectionStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    PUBLISHED = "published", _("Offentliggjort")


class PdfStatus(models.TextChoices):
    NONE = "none", _("Ikke bestilt")
    PENDING = "pending", _("I kø")
    RUNNING = "running", _("Dannes")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Mislykkedes")


class DocumentLanguage(models.TextChoices):
    DANISH = "da", _("Dansk")
    ENGLISH = "en", _("Engelsk")
