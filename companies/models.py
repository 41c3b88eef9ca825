from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from companies.choices import EvidenceSource, Language, SizeBand
from companies.validators import validate_cvr, validate_p_number
from csrprogram.policy import COMPANY, PROGRAMMES, UNRESTRICTED, RestrictedQuerySet


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
    # The company relationship (kept by the relations app, which owns the history and the
    # contact log): plain columns here so the company list can filter on them without this
    # app importing the one above it.
    responsible_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ansvarlig konsulent"),
        on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="responsible_for_companies")
    last_contact_on = models.DateField(_("seneste kontakt"), null=True, blank=True,
                                       editable=False)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: UNRESTRICTED, COMPANY: "pk"}

    class Meta:
        verbose_name = _("virksomhed")
        verbose_name_plural = _("virksomheder")
        ordering = ["name"]
        # The list's order (name, pk): a page read from the index, not a sort of the register.
        indexes = [
            models.Index(fields=["name", "id"], name="company_name_id"),
            # The filter's distinct cities and industries, one index step each
            # (selectors.filter_options); the city index also orders the list by city.
            models.Index(fields=["city", "name", "id"], name="company_city_name_id"),
            models.Index(fields=["industry"], name="company_industry"),
        ]
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
    """A person at a company. With a linked user, they log in as the company's contact.

    One login may be the contact of several companies (a chain, a group): it then has one
    ``ContactPerson`` per company and switches between them (``csrprogram.policy``'s COMPANY
    reach follows the company chosen in the session). Access is given by invitation
    (``ContactInvitation``) and revoked by unlinking the user.
    """

    company = models.ForeignKey(Company, verbose_name=_("virksomhed"), on_delete=models.CASCADE,
                                related_name="contacts")
    name = models.CharField(_("navn"), max_length=200)
    job_title = models.CharField(_("stilling"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    is_primary = models.BooleanField(_("primær kontakt"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("brugerkonto"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="company_contacts",
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
            models.UniqueConstraint(
                fields=["company", "user"], condition=Q(user__isnull=False),
                name="contact_one_login_per_company",
                violation_error_message=_(
                    "Brugerkontoen er allerede kontaktperson for denne virksomhed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})"


class ContactInvitation(models.Model):
    """An emailed, one-time, expiring invitation for a contact person to log in to the portal.

    Only a SHA-256 hash of the link's token is stored: a leaked database gives no usable link.
    The invitation is *open* until it is accepted, revoked or past ``expires_at``.
    """

    contact = models.ForeignKey(ContactPerson, verbose_name=_("kontaktperson"),
                                on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(_("nøgle (hash)"), max_length=64, unique=True,
                                  editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inviteret af"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    expires_at = models.DateTimeField(_("udløber"))
    accepted_at = models.DateTimeField(_("taget imod"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} ({self.contact.company_id})"

    def is_open(self, now) -> bool:
        """Neither accepted nor revoked, and ``now`` (an aware datetime) before expiry."""
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class CsrCriterion(models.Model):
    """One criterion of the CSR catalogue. Criteria are data: administrators maintain them."""

    title_da = models.CharField(_("titel (dansk)"), max_length=200)
    title_en = models.CharField(_("titel (engelsk)"), max_length=200)
    description_da = models.TextField(_("beskrivelse (dansk)"), blank=True)
    description_en = models.TextField(_("beskrivelse (engelsk)"), blank=True)
    is_active = models.BooleanField(
        _("aktiv"), default=True,
        help_text=_("Kun aktive kriterier indgår i nye vurderinger."),
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    evidence_source = models.CharField(
        _("automatisk dokumentation"), max_length=20, blank=True,
        choices=EvidenceSource.choices,
        help_text=_("Udfyldes en ny vurdering selv ud fra registreringer andre steder, fx "
                    "uddannede medarbejdermentorer. Konsulenten kan altid ændre svaret."),
    )

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: UNRESTRICTED}

    class Meta:
        verbose_name = _("CSR-kriterie")
        verbose_name_plural = _("CSR-kriterier")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence_source"], condition=~Q(evidence_source=""),
                name="criterion_one_per_evidence_source",
                violation_error_message=_(
                    "Et andet kriterie bruger allerede denne automatiske dokumentation."),
            ),
        ]

    def __str__(self) -> str:
        return self.title_da

    def title_in(self, language: str) -> str:
        return self.title_en if language == "en" and self.title_en else self.title_da

    def description_in(self, language: str) -> str:
        return (self.description_en if language == "en" and self.description_en
                else self.description_da)

    @property
    def title(self) -> str:
        """The title in the active language (templates use this)."""
        return self.title_in((get_language() or "da")[:2])

    @property
    def description(self) -> str:
        return self.description_in((get_language() or "da")[:2])


class CsrAssessment(models.Model):
    """A consultant's dated judgement of which criteria a company meets.

    Assessments are history: a new judgement is a new row, never an edit of an old one. The
    threshold is copied from the programme when the assessment is made, so a later change of
    the programme's setting does not rewrite whether an old assessment was eligible.
    """

    company = models.ForeignKey(Company, verbose_name=_("virksomhed"), on_delete=models.CASCADE,
                                related_name="assessments")
    programme = models.ForeignKey("csrprogram.Programme", verbose_name=_("program"),
                                  on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("vurderingsdato"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vurderet af"), on_delete=models.PROTECT,
        related_name="csr_assessments",
    )
    met_count = models.PositiveSmallIntegerField(_("opfyldte kriterier"), default=0)
    threshold = models.PositiveSmallIntegerField(_("krævede kriterier"))
    notes = models.TextField(_("bemærkninger"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: UNRESTRICTED, COMPANY: "company"}

    class Meta:
        verbose_name = _("CSR-vurdering")
        verbose_name_plural = _("CSR-vurderinger")
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1), name="assessment_threshold_positive",
                violation_error_message=_("Mindst ét CSR-kriterie skal kræves."),
            ),
        ]

    def __str__(self) -> str:
        # In the active language's format: the string is shown in choices and headings.
        return f"{self.company} ({date_format(self.assessed_on, 'SHORT_DATE_FORMAT')})"

    @property
    def is_eligible(self) -> bool:
        return self.met_count >= self.threshold


class CsrAssessmentAnswer(models.Model):
    """Whether one criterion is met in one assessment, and the evidence for it."""

    assessment = models.ForeignKey(CsrAssessment, verbose_name=_("vurdering"),
                                   on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(CsrCriterion, verbose_name=_("kriterie"),
                                  on_delete=models.PROTECT, related_name="answers")
    is_met = models.BooleanField(_("opfyldt"), default=False)
    evidence = models.TextField(_("dokumentation"), blank=True)

    class Meta:
        verbose_name = _("svar på kriterie")
        verbose_name_plural = _("svar på kriterier")
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="answer_one_per_criterion",
                violation_error_message=_("Kriteriet er allerede vurderet i denne vurdering."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {'✓' if self.is_met else '–'}"
