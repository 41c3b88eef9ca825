from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Gyldigt")
    PENDING = "pending", _("Endnu ikke gyldigt")
    EXPIRED = "expired", _("Udløbet")
    REVOKED = "revoked", _("Tilbagekaldt")
    SUPERSEDED = "superseded", _("Erstattet af nyt certifikat")
