from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from citizens import cpr as cpr_tools
from citizens.choices import (
    AccessAction,
    ConsentKind,
    EnrolmentStatus,
    ErasureKind,
    ExitReason,
    JobCategory,
    RetentionReviewStatus,
)
from csrprogram.choices import TargetGroup
from csrprogram.models import Programme
from csrprogram.policy import PROGRAMMES, RestrictedQuerySet

MAX_WEEKLY_HOURS = 37


class Citizen(models.Model):
    """A person in the programme (borger / kandidat).

    The CPR number is never stored in clear: see ``citizens.cpr``. Use ``set_cpr()``.
    """

    name = models.CharField(_("navn"), max_length=200)
    cpr_encrypted = models.TextField(_("CPR-nummer (krypteret)"), editable=False)
    cpr_index = models.CharField(_("CPR-indeks"), max_length=64, editable=False)
    cpr_masked = models.CharField(_("CPR-nummer"), max_length=11, editable=False,
                                  help_text=_("Vises maskeret: DDMMÅÅ-XXXX."))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    target_group = models.CharField(_("målgruppe"), max_length=30, choices=TargetGroup.choices)
    competencies = models.TextField(
        _("kompetencer"), blank=True,
        help_text=_("Erfaring, uddannelse og styrker. Vises for virksomheden."))
    wishes = models.JSONField(
        _("jobønsker"), default=list, blank=True,
        help_text=_("Jobkategorier, borgeren gerne vil arbejde inden for."))
    accommodation_needs = models.TextField(
        _("skånebehov"), blank=True,
        help_text=_("Hvad arbejdspladsen skal tage hensyn til (timer, opgaver, tempo). "
                    "Vises aldrig for virksomheden."))
    weekly_hours = models.PositiveSmallIntegerField(
        _("timer pr. uge, borgeren kan arbejde"), default=MAX_WEEKLY_HOURS,
        help_text=_("1–37 timer."))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("jobkonsulent"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="citizens")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    # Restriction of processing (GDPR art. 18): read-only, hidden from lists and matching.
    restricted_at = models.DateTimeField(_("begrænset siden"), null=True, blank=True,
                                         editable=False)
    restriction_reason = models.CharField(_("begrundelse for begrænsning"), max_length=300,
                                          blank=True, editable=False)
    # Set when the personal data was erased (anonymised); the row stays for the counts.
    erased_at = models.DateTimeField(_("slettet"), null=True, blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    # A consultant sees the citizens enrolled in a programme they work in and their caseload.
    # "id IN (enrolled citizens)" rather than a correlated EXISTS: PostgreSQL hashes the
    # subquery once, and estimates it well (issue 14: the EXISTS OR was costed per row, which
    # turned on JIT compilation and a plan ten times slower for 25 rows of 50,000).
    access_scopes = {PROGRAMMES: lambda user: (
        Q(pk__in=Enrolment.objects.filter(programme__members=user).values("citizen_id"))
        | Q(consultant=user))}

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        ordering = ["name", "pk"]
        # The lists' order: a page of 25 can be read from the index instead of sorting all.
        indexes = [
            models.Index(fields=["name", "id"], name="citizen_name_id"),
            # The citizens who may be matched (neither restricted nor erased): the candidate
            # pool is read from this index instead of the whole table (issue 14).
            models.Index(fields=["id"], name="citizen_matchable",
                         condition=Q(restricted_at__isnull=True, erased_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cpr_index"], name="citizen_cpr_unique",
                violation_error_message=_("Der findes allerede en borger med dette CPR-nummer."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=1) & Q(weekly_hours__lte=MAX_WEEKLY_HOURS),
                name="citizen_weekly_hours_range",
                violation_error_message=_("Timetallet skal være mellem 1 og 37 timer om ugen."),
            ),
        ]

    def __str__(self) -> str:
        # Wherever a citizen is written by its str() (admin lists, "citizen – company" of a
        # placement, change-history names), a restricted or erased citizen is not named.
        return self.display_name

    @property
    def display_name(self) -> str:
        """The citizen's name as every page and list outside the citizen's own record shows
        it (issue 16): the name; for an erased citizen an anonymous label, for a restricted
        one a label without the name (restriction hides the citizen from lists and matching,
        GDPR art. 18). Both labels carry the row's number so that a consultant can still tell
        two rows apart and open the record (the record page shows the name and logs the read).

        The one place to decide this: templates write ``{{ x.citizen.display_name }}``, code
        ``citizen.display_name``, never ``citizen.name`` (a guard test looks for it).
        """
        if self.erased_at is not None:
            return str(_("Anonymiseret borger nr. %(number)s") % {"number": self.pk})
        if self.restricted_at is not None:
            return str(_("Begrænset borger nr. %(number)s") % {"number": self.pk})
        return self.name

    def set_cpr(self, raw: str) -> None:
        """Validate, encrypt and index a CPR number (raises a Danish ValidationError)."""
        number = cpr_tools.normalise_cpr(raw)
        self.cpr_encrypted = cpr_tools.encrypt_cpr(number)
        self.cpr_index = cpr_tools.cpr_index(number)
        self.cpr_masked = cpr_tools.mask_cpr(number)

    def get_cpr(self) -> str:
        """The full CPR number, formatted. Only for those who need it; log the access."""
        number = cpr_tools.decrypt_cpr(self.cpr_encrypted)
        return cpr_tools.format_cpr(number) if number else ""

    def clean(self) -> None:
        super().clean()
        valid = set(JobCategory.values)
        if any(value not in valid for value in self.wishes or []):
            raise ValidationError({"wishes": _("Ukendt jobkategori.")})

    def get_wishes_display(self) -> list[str]:
        labels = dict(JobCategory.choices)
        return [str(labels.get(value, value)) for value in self.wishes or []]

    @property
    def is_restricted(self) -> bool:
        """Read-only and hidden from lists and matching (restricted, or erased)."""
        return self.restricted_at is not None or self.erased_at is not None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Enrolment(models.Model):
    """A citizen's entry into a programme (visitering)."""

    citizen = models.ForeignKey(Citizen, verbose_name=_("borger"), on_delete=models.CASCADE,
                                related_name="enrolments")
    programme = models.ForeignKey(Programme, verbose_name=_("program"),
                                  on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField(_("visiteret den"))
    referring_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visiterende konsulent"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="referred_enrolments")
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ACTIVE)
    exit_date = models.DateField(_("udskrevet den"), null=True, blank=True)
    exit_reason = models.CharField(_("udskrivningsårsag"), max_length=20,
                                   choices=ExitReason.choices, blank=True)
    notes = models.TextField(_("noter"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("visitering")
        verbose_name_plural = _("visiteringer")
        ordering = ["-enrolled_on", "pk"]
        constraints = [
            # A citizen can be re-enrolled after an exit; the earlier enrolments stay as the
            # history. Only one enrolment per programme can be open at a time.
            models.UniqueConstraint(
                fields=["citizen", "programme"], condition=Q(exit_date__isnull=True),
                name="enrolment_one_open_per_programme",
                violation_error_message=_("Borgeren er allerede visiteret til dette program."),
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("enrolled_on")),
                name="enrolment_exit_after_start",
                violation_error_message=_(
                    "Udskrivningsdatoen kan ikke ligge før visitationsdatoen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} – {self.programme}"

    def clean(self) -> None:
        super().clean()
        if self.exit_reason and not self.exit_date:
            raise ValidationError({"exit_date": _("Angiv udskrivningsdatoen.")})


class Consent(models.Model):
    """A recorded consent: participation, or publication of an anonymised case story."""

    citizen = models.ForeignKey(Citizen, verbose_name=_("borger"), on_delete=models.CASCADE,
                                related_name="consents")
    kind = models.CharField(_("samtykke til"), max_length=20, choices=ConsentKind.choices)
    given_on = models.DateField(_("givet den"))
    withdrawn_on = models.DateField(_("trukket tilbage den"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registreret af"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("registreret"), auto_now_add=True)
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_(
                    "Et samtykke kan ikke trækkes tilbage før det er givet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.given_on:%d-%m-%Y})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class AccessLog(models.Model):
    """Who read or changed a citizen record, when and why (never the CPR itself).

    Append-only: nothing in the application edits or deletes a row (the admin is read-only,
    and on PostgreSQL a trigger refuses UPDATE and DELETE, migration citizens 0003). So the
    citizen and the user it names are protected from deletion; deactivate a user instead.
    """

    citizen = models.ForeignKey(Citizen, verbose_name=_("borger"), on_delete=models.PROTECT,
                                related_name="access_logs")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("bruger"),
                              on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    action = models.CharField(_("handling"), max_length=10, choices=AccessAction.choices)
    purpose = models.CharField(_("formål"), max_length=200)

    class Meta:
        verbose_name = _("adgangslog")
        verbose_name_plural = _("adgangslog")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["citizen", "-at"], name="accesslog_citizen_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"


class ErasureRecord(models.Model):
    """That a citizen's personal data was erased: when, by whom and why — never what.

    Points at the anonymised citizen row, which stays so that the programme's counts stay
    right (issue 16, part 1). ``erased_by`` is empty when the retention sweep erased.
    """

    citizen = models.OneToOneField(Citizen, verbose_name=_("borger (anonymiseret)"),
                                   on_delete=models.PROTECT, related_name="erasure")
    kind = models.CharField(_("anledning"), max_length=20, choices=ErasureKind.choices)
    erased_at = models.DateTimeField(_("slettet"), auto_now_add=True)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("slettet af"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    reason = models.CharField(_("begrundelse"), max_length=300)
    retention_review = models.ForeignKey(
        "RetentionReview", verbose_name=_("opbevaringsgennemgang"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="erasures")

    class Meta:
        verbose_name = _("sletning")
        verbose_name_plural = _("sletninger")
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.erased_at:%Y-%m-%d}"


class RetentionReview(models.Model):
    """A dry-run report of the citizens whose retention period has run out.

    The retention sweep prepares it; a team leader approves (or rejects) it; only then does
    the sweep anonymise the listed citizens, in bounded batches, re-checking each one.
    """

    prepared_at = models.DateTimeField(_("udarbejdet"), auto_now_add=True)
    as_of = models.DateField(_("opgjort pr."))
    citizen_ids = models.JSONField(_("borgere"), default=list, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=RetentionReviewStatus.choices,
                              default=RetentionReviewStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("besluttet af"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("besluttet"), null=True, blank=True)
    position = models.PositiveIntegerField(_("behandlet"), default=0, editable=False)
    anonymised = models.PositiveIntegerField(_("anonymiserede borgere"), default=0)
    skipped = models.PositiveIntegerField(_("sprunget over"), default=0)
    finished_at = models.DateTimeField(_("gennemført"), null=True, blank=True)

    class Meta:
        verbose_name = _("opbevaringsgennemgang")
        verbose_name_plural = _("opbevaringsgennemgange")
        ordering = ["-prepared_at", "-pk"]
        constraints = [
            # One report in play at a time: the sweep never prepares a second beside it.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status__in=[RetentionReviewStatus.PENDING,
                                        RetentionReviewStatus.APPROVED]),
                name="retention_review_one_open",
                violation_error_message=_("Der er allerede en opbevaringsgennemgang i gang.")),
        ]

    def __str__(self) -> str:
        return f"{self.as_of:%Y-%m-%d} ({self.get_status_display()})"

    @property
    def citizen_count(self) -> int:
        return len(self.citizen_ids or [])
