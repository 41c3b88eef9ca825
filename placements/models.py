from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from citizens.choices import JobCategory
from citizens.models import MAX_WEEKLY_HOURS, Citizen
from companies.models import Company, ContactPerson
from csrprogram.models import Programme
from csrprogram.policy import COMPANY, PROGRAMMES, RestrictedQuerySet
from placements.choices import (
    CandidacyStatus,
    OpeningKind,
    OpeningSource,
    OpeningStatus,
    PlacementOutcome,
    PlacementStatus,
)

HOURS_MESSAGE = _("Timetallet skal være mellem 1 og 37 timer om ugen.")


def _hours_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": 1}) & Q(**{f"{field}__lte": MAX_WEEKLY_HOURS})


class JobOpening(models.Model):
    """A job or internship a company offers (jobåbning, e.g. from a "Spot et job" sheet)."""

    programme = models.ForeignKey(Programme, verbose_name=_("program"),
                                  on_delete=models.PROTECT, related_name="openings")
    company = models.ForeignKey(Company, verbose_name=_("virksomhed"), on_delete=models.PROTECT,
                                related_name="openings")
    kind = models.CharField(_("type"), max_length=20, choices=OpeningKind.choices)
    title = models.CharField(_("stillingsbetegnelse"), max_length=200)
    job_category = models.CharField(_("jobkategori"), max_length=20,
                                    choices=JobCategory.choices)
    tasks = models.TextField(_("arbejdsopgaver"), blank=True)
    weekly_hours = models.PositiveSmallIntegerField(_("timer pr. uge"), help_text=_("1–37 timer."))
    positions = models.PositiveSmallIntegerField(_("antal pladser"), default=1)
    positions_filled = models.PositiveSmallIntegerField(_("besatte pladser"), default=0,
                                                        editable=False)
    can_accommodate = models.BooleanField(
        _("kan tage hensyn til skånebehov"), default=False,
        help_text=_("Arbejdspladsen kan tilpasse tempo, opgaver eller timer."))
    source = models.CharField(_("kilde"), max_length=20, choices=OpeningSource.choices,
                              default=OpeningSource.SPOT_A_JOB)
    contact_person = models.ForeignKey(
        ContactPerson, verbose_name=_("kontaktperson"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="openings")
    status = models.CharField(_("status"), max_length=20, choices=OpeningStatus.choices,
                              default=OpeningStatus.OPEN)
    registered_on = models.DateField(_("registreret den"))
    closing_date = models.DateField(_("ansøgningsfrist"), null=True, blank=True)
    notes = models.TextField(_("noter"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oprettet af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: "programme__members", COMPANY: "company"}

    class Meta:
        verbose_name = _("jobåbning")
        verbose_name_plural = _("jobåbninger")
        ordering = ["-registered_on", "-pk"]
        # The list's order: a page read from the index, not a sort of every opening.
        indexes = [
            models.Index(fields=["-registered_on", "-id"], name="opening_registered"),
            # The open openings, a tenth of all, oldest first: the consultant's queue
            # "Jobåbninger uden kandidat" reads them in this order (issue 14).
            models.Index(fields=["registered_on", "id"], name="opening_open",
                         condition=Q(status=OpeningStatus.OPEN)),
        ]
        constraints = [
            models.CheckConstraint(condition=_hours_in_range("weekly_hours"),
                                   name="opening_weekly_hours_range",
                                   violation_error_message=HOURS_MESSAGE),
            models.CheckConstraint(
                condition=Q(positions__gte=1), name="opening_positions_positive",
                violation_error_message=_("Der skal være mindst én plads.")),
            # The last line of defence against filling a position twice.
            models.CheckConstraint(
                condition=Q(positions_filled__lte=F("positions")),
                name="opening_not_overfilled",
                violation_error_message=_("Alle pladser i jobåbningen er besat.")),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.company}"

    @property
    def positions_left(self) -> int:
        return max(self.positions - self.positions_filled, 0)

    @property
    def is_open(self) -> bool:
        return self.status == OpeningStatus.OPEN and self.positions_left > 0


class Candidacy(models.Model):
    """A citizen proposed for an opening (jobmatch). The employer accepts or declines."""

    opening = models.ForeignKey(JobOpening, verbose_name=_("jobåbning"),
                                on_delete=models.CASCADE, related_name="candidacies")
    citizen = models.ForeignKey(Citizen, verbose_name=_("borger"), on_delete=models.CASCADE,
                                related_name="candidacies")
    status = models.CharField(_("status"), max_length=20, choices=CandidacyStatus.choices,
                              default=CandidacyStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("foreslået af"),
                                    on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    proposed_at = models.DateTimeField(_("foreslået"), auto_now_add=True)
    motivation = models.TextField(
        _("begrundelse for forslaget"), blank=True,
        help_text=_("Vises for virksomheden. Skriv aldrig helbredsoplysninger her."))
    hours_override_reason = models.CharField(
        _("begrundelse for flere timer end borgeren kan"), max_length=300, blank=True)
    presented_on = models.DateField(_("præsenteret den"), null=True, blank=True)
    decided_on = models.DateField(_("virksomheden svarede den"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("svar registreret af"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decline_reason = models.TextField(_("begrundelse for fravalg"), blank=True)
    closed_on = models.DateField(
        _("lukket den"), null=True, blank=True,
        help_text=_("Dagen, hvor jobåbningen blev besat af en anden kandidat."))
    # Staged disclosure (issue 16, part 6): the employer sees the profile without the name
    # until asking to meet the candidate; then name and contact details are disclosed.
    identity_disclosed_at = models.DateTimeField(_("navn videregivet"), null=True, blank=True,
                                                 editable=False)
    identity_disclosed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("navn videregivet til"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: "opening__programme__members",
                     COMPANY: "opening__company"}

    class Meta:
        verbose_name = _("kandidatur")
        verbose_name_plural = _("kandidaturer")
        ordering = ["-proposed_at", "-pk"]
        # The candidacies waiting for an employer's answer, a few percent of all: the home
        # queues of consultants and company contacts read them in this order (issue 14).
        indexes = [
            models.Index(fields=["presented_on", "id"], name="candidacy_presented",
                         condition=Q(status=CandidacyStatus.PRESENTED)),
            # Whether an opening has a candidate waiting (proposed or presented).
            models.Index(fields=["opening"], name="candidacy_waiting",
                         condition=Q(status__in=[CandidacyStatus.PROPOSED,
                                                 CandidacyStatus.PRESENTED])),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "citizen"], name="candidacy_once_per_opening",
                violation_error_message=_(
                    "Borgeren er allerede foreslået til denne jobåbning."),
            ),
            models.CheckConstraint(
                condition=~Q(status=CandidacyStatus.DECLINED) | ~Q(decline_reason=""),
                name="candidacy_decline_has_reason",
                violation_error_message=_("Angiv en begrundelse for fravalget."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} → {self.opening}"

    @property
    def portal_name(self) -> str:
        """What the employer calls the candidate: the name once disclosed (the employer asked
        to meet), before that a number that says nothing about the person. A restricted or
        erased citizen stays a number: the employer is not told about the restriction."""
        if self.identity_disclosed_at is not None and not self.citizen.is_restricted:
            return self.citizen.display_name
        return str(_("Kandidat nr. %(number)s") % {"number": self.pk})


class Placement(models.Model):
    """A citizen working at a company from a start date (ansættelse / forløb)."""

    citizen = models.ForeignKey(Citizen, verbose_name=_("borger"), on_delete=models.PROTECT,
                                related_name="placements")
    company = models.ForeignKey(Company, verbose_name=_("virksomhed"), on_delete=models.PROTECT,
                                related_name="placements")
    opening = models.ForeignKey(JobOpening, verbose_name=_("jobåbning"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="placements")
    candidacy = models.OneToOneField(Candidacy, verbose_name=_("kandidatur"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="placement")
    programme = models.ForeignKey(Programme, verbose_name=_("program"),
                                  on_delete=models.PROTECT, related_name="placements")
    kind = models.CharField(_("type"), max_length=20, choices=OpeningKind.choices)
    start_date = models.DateField(_("startdato"))
    weekly_hours = models.PositiveSmallIntegerField(_("timer pr. uge"))
    hours_override_reason = models.CharField(
        _("begrundelse for flere timer end borgeren kan"), max_length=300, blank=True)
    planned_end = models.DateField(_("planlagt slutdato"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PlacementStatus.choices,
                              default=PlacementStatus.ACTIVE)
    end_date = models.DateField(_("slutdato"), null=True, blank=True)
    outcome = models.CharField(_("resultat"), max_length=20, choices=PlacementOutcome.choices,
                               blank=True)
    end_note = models.TextField(_("bemærkning til afslutningen"), blank=True)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opfølgende konsulent"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="followed_placements")
    # Filled by the follow-up schedule at the 3-month closing (fastholdelse).
    retained = models.BooleanField(_("stadig i job efter 3 måneder"), null=True, blank=True)
    closed_at = models.DateField(_("kandidat afsluttet den"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oprettet af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: "programme__members"}

    class Meta:
        verbose_name = _("forløb")
        verbose_name_plural = _("forløb")
        ordering = ["-start_date", "-pk"]
        indexes = [
            # The list's order: a page read from the index, not a sort of every placement.
            models.Index(fields=["-start_date", "-id"], name="placement_start"),
            # The sweep's 3-month closing: unclosed placements by start date (the due date is
            # start + the programme's months; followups.services.placements_due_for_closing).
            models.Index(fields=["start_date"], condition=Q(closed_at__isnull=True),
                         name="placement_open_start"),
            # "Not in a running placement" (the candidate pool, placements.selectors.match_pool).
            models.Index(fields=["citizen"], condition=Q(status=PlacementStatus.ACTIVE),
                         name="placement_active_citizen"),
        ]
        constraints = [
            models.CheckConstraint(condition=_hours_in_range("weekly_hours"),
                                   name="placement_weekly_hours_range",
                                   violation_error_message=HOURS_MESSAGE),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gte=F("start_date")),
                name="placement_planned_end_after_start",
                violation_error_message=_(
                    "Den planlagte slutdato kan ikke ligge før startdatoen.")),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_end_after_start",
                violation_error_message=_("Slutdatoen kan ikke ligge før startdatoen.")),
            models.CheckConstraint(
                condition=~Q(status=PlacementStatus.ENDED)
                | (Q(end_date__isnull=False) & ~Q(outcome="")),
                name="placement_ended_has_outcome",
                violation_error_message=_("Et afsluttet forløb skal have slutdato og resultat.")),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} – {self.company} ({self.get_kind_display()})"

    def clean(self) -> None:
        super().clean()
        if self.opening_id and self.company_id and self.opening.company_id != self.company_id:
            raise ValidationError({"company": _("Virksomheden skal være jobåbningens.")})
