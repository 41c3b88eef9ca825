from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.choices import Language, SizeBand
from companies.validators import validate_cvr, validate_p_number


class Company(models.Model):
    """An employer, identified by its CVR number."""

    cvr = models.CharField(
        _("CVR-nummer"), max_length=8, validators=[validate_cvr],
        help_text=_("8 cifre."),
    )
    p_number = models.CharField(
        _("P-nummer"), max_length=10, blank=True, validators=[validate_p_number],
        help_text=_("Produktionsenhedens nummer, 10 cifre (valgfrit)."),
    )
    name = models.CharField(_("navn"), max_length=200)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    industry = models.CharField(_("branche"), max_length=100, blank=True)
    size_band = models.CharField(_("størrelse"), max_length=10, choices=SizeBand.choices,
                                 blank=True)
    is_social_economy = models.BooleanField(_("socialøkonomisk virksomhed"), default=False)
    website = models.URLField(_("hjemmeside"), blank=True)
    language = models.CharField(
        _("sprog"), max_length=2, choices=Language.choices, default=Language.DANISH,
        help_text=_("Sproget på certifikat og e-mails til virksomheden."),
    )
    notes = models.TextField(_("noter"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("virksomhed")
        verbose_name_plural = _("virksomheder")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cvr"], name="company_cvr_unique",
                violation_error_message=_(
                    "Der findes allerede en virksomhed med dette CVR-nummer."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPerson(models.Model):
    """A person at a company. With a linked user, they log in as the company's contact."""

    company = models.ForeignKey(Company, verbose_name=_("virksomhed"), on_delete=models.CASCADE,
                                related_name="contacts")
    name = models.CharField(_("navn"), max_length=200)
    job_title = models.CharField(_("stilling"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    is_primary = models.BooleanField(_("primær kontakt"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("brugerkonto"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="company_contact",
        help_text=_("Giver kontaktpersonen adgang til virksomhedens side."),
    )

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(is_primary=True),
                name="contact_one_primary_per_company",
                violation_error_message=_("Virksomheden har allerede en primær kontaktperson."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})"
