"""The casebank: case stories written from placements, programme case descriptions (the
funder's structure, seed 002) and the collections that bind them into a PDF."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    CollectionStatus,
    DocumentLanguage,
    FindingKind,
    FindingStatus,
    PdfStatus,
    StoryEventKind,
    StoryStatus,
)
from citizens.models import Citizen
from companies.models import Company
from csrprogram.models import Programme
from csrprogram.policy import PROGRAMMES, RestrictedQuerySet
from placements.models import Placement

# A story is read in a minute or two; the collection's layout is made for that length.
STORY_MAX_WORDS = 1500
NARRATIVE_MAX_WORDS = 3000


def public_token() -> str:
    """An unguessable key for a collection's public page (never the primary key)."""
    return secrets.token_urlsafe(24)


class CompanyConsent(models.Model):
    """A company's recorded consent to be named in published case stories."""

    company = models.ForeignKey(Company, verbose_name=_("virksomhed"),
                                on_delete=models.CASCADE, related_name="case_consents")
    given_on = models.DateField(_("givet den"))
    withdrawn_on = models.DateField(_("trukket tilbage den"), null=True, blank=True)
    given_by = models.CharField(_("givet af (navn og stilling)"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registreret af"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    class Meta:
        verbose_name = _("virksomhedens samtykke til at blive nævnt")
        verbose_name_plural = _("virksomheders samtykker til at blive nævnt")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="company_consent_withdrawn_after_given",
                violation_error_message=_(
                    "Et samtykke kan ikke trækkes tilbage før det er givet.")),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.given_on:%d-%m-%Y})"


class CaseStory(models.Model):
    """An anonymised story of one placement (casebeskrivelse). The citizen is never named."""

    placement = models.ForeignKey(Placement, verbose_name=_("forløb"),
                                  on_delete=models.CASCADE, related_name="case_stories")
    # Copied from the placement: the scope and the consent check read them without a join.
    programme = models.ForeignKey(Programme, verbose_name=_("program"),
                                  on_delete=models.PROTECT, related_name="case_stories")
    citizen = models.ForeignKey(Citizen, verbose_name=_("borger"), on_delete=models.CASCADE,
                                related_name="case_stories")
    title = models.CharField(_("overskrift"), max_length=200)
    situation = models.TextField(_("situationen før"), blank=True,
                                 help_text=_("Borgerens udgangspunkt, uden navn og detaljer, "
                                             "der kan genkende borgeren."))
    action = models.TextField(_("det gjorde vi"), blank=True,
                              help_text=_("Matchet, hensynet til skånebehov og opfølgningen."))
    result = models.TextField(_("resultatet"), blank=True,
                              help_text=_("Fastholdt efter 3 måneder eller ej, og hvad der "
                                          "skete bagefter."))
    quote = models.TextField(_("citat"), blank=True)
    illustration = models.TextField(_("illustrationstekst"), blank=True,
                                    help_text=_("Valgfri tekst i stedet for et foto."))
    name_company = models.BooleanField(
        _("nævn virksomheden"), default=False,
        help_text=_("Kun med virksomhedens registrerede samtykke."))
    status = models.CharField(_("status"), max_length=20, choices=StoryStatus.choices,
                              default=StoryStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("skrevet af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    submitted_at = models.DateTimeField(_("sendt til godkendelse"), null=True, blank=True)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    published_on = models.DateField(_("offentliggjort den"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                     verbose_name=_("offentliggjort af"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(_("trukket tilbage"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: "programme__members"}

    TEXT_FIELDS = ("title", "situation", "action", "result", "quote", "illustration")

    class Meta:
        verbose_name = _("casebeskrivelse")
        verbose_name_plural = _("casebeskrivelser")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=StoryStatus.PUBLISHED)
                | (Q(published_at__isnull=False) & Q(published_on__isnull=False)),
                name="case_story_published_has_date",
                violation_error_message=_("En offentliggjort casebeskrivelse skal have en "
                                          "offentliggørelsesdato.")),
        ]

    def __str__(self) -> str:
        return self.title

    def texts(self) -> dict[str, str]:
        """The story's free texts by field name, in reading order (what the check reads)."""
        return {name: getattr(self, name) or "" for name in self.TEXT_FIELDS}

    @property
    def is_editable(self) -> bool:
        return self.status in {StoryStatus.DRAFT, StoryStatus.WITHDRAWN}


class StoryFinding(models.Model):
    """A place in a story's text that may identify the citizen (found by cases.identifying).

    Kept across saves while the same text is still there, so a team leader's false-positive
    marking (with its reason, in the change history) is not asked for again.
    """

    story = models.ForeignKey(CaseStory, verbose_name=_("casebeskrivelse"),
                              on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("type"), max_length=20, choices=FindingKind.choices)
    field = models.CharField(_("felt"), max_length=30)
    text = models.CharField(_("fundet tekst"), max_length=200)
    start = models.PositiveIntegerField(_("position"))
    line = models.PositiveIntegerField(_("linje"))
    column = models.PositiveIntegerField(_("tegn"))
    status = models.CharField(_("status"), max_length=20, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN)
    reason = models.CharField(_("begrundelse"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("vurderet af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("vurderet"), null=True, blank=True)

    class Meta:
        verbose_name = _("fund i casebeskrivelse")
        verbose_name_plural = _("fund i casebeskrivelser")
        ordering = ["story", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FindingStatus.FALSE_POSITIVE) | ~Q(reason=""),
                name="story_finding_false_positive_has_reason",
                violation_error_message=_("Angiv en begrundelse for, at fundet er falsk "
                                          "alarm.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.field} {self.line}:{self.column}"


class StoryEvent(models.Model):
    """The story's workflow history: who did what and when, with the review comments."""

    story = models.ForeignKey(CaseStory, verbose_name=_("casebeskrivelse"),
                              on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("hændelse"), max_length=20, choices=StoryEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("bruger"),
                              on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("hændelse for casebeskrivelse")
        verbose_name_plural = _("hændelser for casebeskrivelser")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ProgrammeDescription(models.Model):
    """A programme's case description in the funder's structure (projektbeskrivelse, seed 002).

    The facts (grantee, grant, target groups, partner job centres, targets and actuals) come
    from the programme where it has them; a field here overrides or adds to them. The
    narrative sections are written by staff.
    """

    programme = models.OneToOneField(Programme, verbose_name=_("program"),
                                     on_delete=models.CASCADE, related_name="case_description")
    grantee = models.CharField(_("tilskudsmodtager"), max_length=200, blank=True,
                               help_text=_("Tom: programmets kommune."))
    project_title = models.CharField(_("projekttitel"), max_length=200, blank=True,
                                     help_text=_("Tom: programmets navn."))
    grant_amount = models.DecimalField(_("tilsagnsbeløb (kr.)"), max_digits=14,
                                       decimal_places=2, null=True, blank=True,
                                       help_text=_("Tom: programmets EU-støtte eller budget."))
    target_figure = models.CharField(_("måltal"), max_length=300, blank=True,
                                     help_text=_("Tom: programmets måltal fra dashboardet."))
    other_partners = models.TextField(_("øvrige samarbejdspartnere"), blank=True)
    primary_activities = models.TextField(
        _("projektets primære indsatser/aktiviteter"), blank=True,
        help_text=_("Én indsats pr. linje."))
    summary = models.TextField(_("kort beskrivelse af projektet"), blank=True)
    core_elements = models.TextField(_("projektets arbejde med puljens kerneelementer"),
                                     blank=True)
    anchoring = models.TextField(_("forankring af projektet"), blank=True)
    success_factors = models.TextField(_("afgørende elementer for succes i projektet"),
                                       blank=True, help_text=_("Ét element pr. linje."))
    challenges = models.TextField(_("projektets udfordringer"), blank=True,
                                  help_text=_("Én udfordring pr. linje."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ændret af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    access_scopes = {PROGRAMMES: "programme__members"}

    NARRATIVE_FIELDS = ("other_partners", "primary_activities", "summary", "core_elements",
                        "anchoring", "success_factors", "challenges")

    class Meta:
        verbose_name = _("projektbeskrivelse")
        verbose_name_plural = _("projektbeskrivelser")
        ordering = ["programme__name"]

    def __str__(self) -> str:
        return self.project_title or self.programme.name

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name) or "" for name in
                ("grantee", "project_title", "target_figure", *self.NARRATIVE_FIELDS)}


class CaseCollection(models.Model):
    """A team leader's selection of published stories and programme descriptions, ordered,
    with a foreword, typeset as one PDF (casesamling).

    The PDF is due work on this row (DESIGN.md §5): ``pdf_status`` pending until a task has
    rendered it; any change to its content puts it back to pending.
    """

    programme = models.ForeignKey(Programme, verbose_name=_("program"),
                                  on_delete=models.PROTECT, related_name="case_collections")
    title = models.CharField(_("titel"), max_length=200)
    foreword = models.TextField(_("forord"), blank=True)
    language = models.CharField(_("sprog"), max_length=5, choices=DocumentLanguage.choices,
                                default=DocumentLanguage.DANISH)
    status = models.CharField(_("status"), max_length=20, choices=CollectionStatus.choices,
                              default=CollectionStatus.DRAFT)
    public_page = models.BooleanField(
        _("offentlig webside"), default=False,
        help_text=_("Når samlingen er offentliggjort, kan den læses på en adresse, der ikke "
                    "kan gættes."))
    public_token = models.CharField(_("offentlig nøgle"), max_length=64, unique=True,
                                    default=public_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oprettet af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    published_on = models.DateField(_("offentliggjort den"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                     verbose_name=_("offentliggjort af"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    # The PDF as due work. Changed with update() only, so rendering does not fill the
    # change history.
    pdf_status = models.CharField(_("PDF-status"), max_length=10, choices=PdfStatus.choices,
                                  default=PdfStatus.NONE)
    pdf_progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    pdf_file = models.FileField(_("PDF"), upload_to="cases/%Y/", blank=True)
    pdf_attempts = models.PositiveSmallIntegerField(_("mislykkede forsøg"), default=0)
    pdf_next_attempt_at = models.DateTimeField(_("næste forsøg"), null=True, blank=True)
    pdf_started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    pdf_rendered_at = models.DateTimeField(_("dannet"), null=True, blank=True)
    pdf_error = models.TextField(_("fejl"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_scopes = {PROGRAMMES: "programme__members"}

    class Meta:
        verbose_name = _("casesamling")
        verbose_name_plural = _("casesamlinger")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pdf_progress__lte=100), name="case_collection_progress_at_most_100",
                violation_error_message=_("Fremdriften kan højst være 100 %.")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def pdf_is_finished(self) -> bool:
        return self.pdf_status in {PdfStatus.DONE, PdfStatus.FAILED, PdfStatus.NONE}


class CollectionItem(models.Model):
    """One case of a collection, in its place: a story or a programme description."""

    collection = models.ForeignKey(CaseCollection, verbose_name=_("casesamling"),
                                   on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("placering"))
    story = models.ForeignKey(CaseStory, verbose_name=_("casebeskrivelse"),
                              on_delete=models.CASCADE, null=True, blank=True,
                              related_name="collection_items")
    description = models.ForeignKey(ProgrammeDescription, verbose_name=_("projektbeskrivelse"),
                                    on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="collection_items")

    class Meta:
        verbose_name = _("case i samling")
        verbose_name_plural = _("cases i samlinger")
        ordering = ["collection", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(story__isnull=False) & Q(description__isnull=True))
                | (Q(story__isnull=True) & Q(description__isnull=False)),
                name="collection_item_one_case",
                violation_error_message=_("Vælg enten en casebeskrivelse eller en "
                                          "projektbeskrivelse.")),
            models.UniqueConstraint(fields=["collection", "story"],
                                    condition=Q(story__isnull=False),
                                    name="collection_item_story_once",
                                    violation_error_message=_(
                                        "Casebeskrivelsen er allerede med i samlingen.")),
            models.UniqueConstraint(fields=["collection", "description"],
                                    condition=Q(description__isnull=False),
                                    name="collection_item_description_once",
                                    violation_error_message=_(
                                        "Projektbeskrivelsen er allerede med i samlingen.")),
        ]

    def __str__(self) -> str:
        return f"{self.collection} #{self.position}"
