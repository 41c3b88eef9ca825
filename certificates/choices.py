from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Gyldigt")
    PENDING = "pending", _("Endnu ikke gyldigt")
    EXPIRED = "expired", _("Udløbet")
    REVOKED = "revoked", _("Tilbagekaldt")
    SUPERSEDED = "superseded", _("Erstattet af nyt certifikat")


class PdfStatus(models.TextChoices):
    """Where a certificate's PDF stands as due work (see services.certificates_pdf_sweep)."""

    PENDING = "pending", _("Venter på at blive dannet")
    RENDERED = "rendered", _("Dannet")
    FAILED = "failed", _("Kunne ikke dannes")
