from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from csrprogram.choices import (
    PercentageBasis,
    PlacementKind,
    ReportJobStatus,
    TargetGroup,
    TargetKind,
)
from csrprogram.policy import PROGRAMMES, RestrictedQuerySet


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # The login compares email addresses case-insensitively: "Konsulent@…" logs in.
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who logs in. The email address is the login; roles are groups (see Role)."""

    username = None
    email = models.EmailField(_("e-mailadresse"), unique=True)
    job_title = models.CharField(
        _("stillingsbetegnelse"),
        max_length=100,
        blank=True,
        help_text=_("F.eks. jobkonsulent, virksomhedskonsulent eller teamleder."),
    )
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    # Emails to the user (reminders, password reset) are written in this language; it follows
    # the last language the user chose in the header's language menu.
    language = models.CharField(_("foretrukket sprog"), max_length=10,
                                choices=settings.LANGUAGES, default="da")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["first_name", "last_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="user_email_unique_case_insensitive",
                violation_error_message=_("Der findes allerede en bruger med denne "
                                          "e-mailadresse."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        """Stores the email address in lower case, as ``UserManager`` does."""
        super().clean()
        self.email = (self.email or "").strip().lower()


def default_retention_kinds() -> list[str]:
    """Seed 001: "fortsat i beskæftigelse tre måneder efter jobopstart i CSR-job"."""
    return [PlacementKind.CSR_JOB.value]


def default_job_kinds() -> list[str]:
    """Paid employment: every kind but the internship (whose benefit continues)."""
    return [kind.value for kind in PlacementKind if kind != PlacementKind.INTERNSHIP]


class Programme(models.Model):
    """A funded CSR programme: its period, funding, scope and the settings its workflows use."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    municipality = models.CharField(_("kommune"), max_length=100)
    starts_on = models.DateField(_("startdato"))
    ends_on = models.DateField(_("slutdato"))
    funder = models.CharField(_("finansiering"), max_length=200, blank=True,
                              help_text=_("F.eks. Socialfonden eller en statslig pulje."))
    total_budget = models.DecimalField(_("samlede støtteberettigede udgifter (kr.)"),
                                       max_digits=14, decimal_places=2, null=True, blank=True)
    eu_support = models.DecimalField(_("EU-støtte (kr.)"), max_digits=14, decimal_places=2,
                                     null=True, blank=True)
    other_funding = models.DecimalField(_("anden finansiering (kr.)"), max_digits=14,
                                        decimal_places=2, null=True, blank=True)
    geography = models.CharField(_("geografi"), max_length=200, blank=True)
    target_groups = models.JSONField(
        _("målgrupper"), default=list, blank=True,
        help_text=_("Borgermålgrupper, som programmet retter sig mod."),
    )
    partner_job_centres = models.CharField(_("samarbejdende jobcentre"), max_length=300,
                                           blank=True)
    csr_threshold = models.PositiveSmallIntegerField(
        _("krævede CSR-kriterier"), default=3,
        help_text=_("Antal opfyldte kriterier, der kræves for et CSR-certifikat."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certifikatets gyldighed (måneder)"), default=12)
    first_followup_days = models.PositiveSmallIntegerField(
        _("første opfølgning (dage efter start)"), default=15)
    second_followup_months = models.PositiveSmallIntegerField(
        _("anden opfølgning (måneder efter start)"), default=2)
    second_followup_days = models.PositiveSmallIntegerField(
        _("anden opfølgning (ekstra dage)"), default=15)
    retention_months = models.PositiveSmallIntegerField(
        _("fastholdelse måles efter (måneder)"), default=3)
    # Seed 002: the job centre contacts a company about a job spotted at an event "i de første
    # dage efter"; the relations app makes that a due follow-up this many working days later.
    spotted_followup_working_days = models.PositiveSmallIntegerField(
        _("kontakt om spottede job inden (arbejdsdage)"), default=3,
        help_text=_("Et job spottet ved et arrangement skal følges op hos virksomheden inden "
                    "så mange arbejdsdage."))
    # PlacementKind values. Seed 001 measures retention for CSR-jobs.
    retention_kinds = models.JSONField(
        _("fastholdelse måles for"), default=default_retention_kinds, blank=True,
        help_text=_("De forløbstyper, hvor kandidaten afsluttes og fastholdelse måles 3 "
                    "måneder efter start. En virksomhedspraktik lukker aldrig kandidaten."),
    )
    job_kinds = models.JSONField(
        _("tæller som job"), default=default_job_kinds, blank=True,
        help_text=_("De forløbstyper, der tæller som lønnet job i »Borgere i job«."),
    )
    personal_data_retention_months = models.PositiveSmallIntegerField(
        _("borgerdata opbevares (måneder efter udskrivning)"), null=True, blank=True,
        help_text=_("Hvor længe borgeroplysninger gemmes efter borgerens sidste visitering "
                    "sluttede. Tom: installationens standard (CSR_CITIZEN_RETENTION_MONTHS)."))
    members = models.ManyToManyField(
        User, verbose_name=_("medarbejdere"), related_name="programmes", blank=True,
        help_text=_("Konsulenter og teamledere, der arbejder i programmet."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: "members"}

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programmer")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="programme_ends_after_start",
                violation_error_message=_("Slutdatoen skal ligge efter startdatoen."),
            ),
            models.CheckConstraint(
                condition=Q(csr_threshold__gte=1),
                name="programme_threshold_positive",
                violation_error_message=_("Mindst ét CSR-kriterie skal kræves."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        valid = set(TargetGroup.values)
        unknown = [value for value in self.target_groups or [] if value not in valid]
        if unknown:
            raise ValidationError({"target_groups": _("Ukendt målgruppe.")})
        for name in ("retention_kinds", "job_kinds"):
            if any(value not in PlacementKind.values for value in getattr(self, name) or []):
                raise ValidationError({name: _("Ukendt forløbstype.")})
        if PlacementKind.INTERNSHIP in (self.retention_kinds or []):
            # Seed 000: an internship is a step towards a job and never closes the candidate.
            raise ValidationError({"retention_kinds": _(
                "En virksomhedspraktik lukker aldrig kandidaten og kan ikke måles for "
                "fastholdelse.")})
        if self.pk and self.starts_on and self.ends_on:
            outside = self.targets.exclude(deadline__range=(self.starts_on, self.ends_on))
            if outside.exists():
                raise ValidationError(_(
                    "Programmet har måltal med en frist uden for den nye periode. Ret "
                    "måltallenes frister først."
                ))

    @staticmethod
    def _labels(values: list[str] | None, choices: list[tuple[str, str]]) -> list[str]:
        labels = dict(choices)
        return [str(labels.get(value, value)) for value in values or []]

    def get_retention_kinds_display(self) -> list[str]:
        return self._labels(self.retention_kinds, PlacementKind.choices)

    def get_job_kinds_display(self) -> list[str]:
        return self._labels(self.job_kinds, PlacementKind.choices)

    def get_target_groups_display(self) -> list[str]:
        return self._labels(self.target_groups, TargetGroup.choices)


class Target(models.Model):
    """A programme's target figure for one metric by a deadline.

    Milestones of the same metric are cumulative: every actual is counted from the programme's
    start, so "100 by 2017-12-31" and "150 by 2018-12-31" are two targets on one metric. A
    percentage target is a share of another target of the same programme (its target value, or
    its actual), rounded up: 25 % of 50 is 13.
    """

    programme = models.ForeignKey(Programme, verbose_name=_("program"),
                                  on_delete=models.CASCADE, related_name="targets")
    metric_key = models.CharField(_("nøgletal"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=TargetKind.choices,
                            default=TargetKind.ABSOLUTE)
    value = models.DecimalField(
        _("værdi"), max_digits=12, decimal_places=2,
        validators=[MinValueValidator(0, message=_("Værdien må ikke være negativ."))],
        help_text=_("Antallet, eller procentsatsen for et procentmål."),
    )
    reference = models.ForeignKey(
        "self", verbose_name=_("procent af måltal"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="dependants",
        help_text=_("Kun for procentmål: det måltal, procentsatsen regnes af."),
    )
    basis = models.CharField(_("procent af"), max_length=10, choices=PercentageBasis.choices,
                             default=PercentageBasis.TARGET)
    deadline = models.DateField(_("frist"))
    note = models.CharField(_("bemærkning"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: "programme__members"}

    class Meta:
        verbose_name = _("måltal")
        verbose_name_plural = _("måltal")
        ordering = ["programme", "metric_key", "deadline"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="target_value_not_negative",
                violation_error_message=_("Værdien må ikke være negativ."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=TargetKind.PERCENTAGE, reference__isnull=False)
                           | Q(kind=TargetKind.ABSOLUTE, reference__isnull=True)),
                name="target_reference_only_for_percentage",
                violation_error_message=_(
                    "Et procentmål skal henvise til et andet måltal; et absolut mål må ikke."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(reference=F("pk")), name="target_not_own_reference",
                violation_error_message=_("Et måltal kan ikke være en procentdel af sig selv."),
            ),
            models.UniqueConstraint(
                fields=["programme", "metric_key", "deadline"],
                name="target_one_per_metric_and_deadline",
                violation_error_message=_(
                    "Programmet har allerede et måltal for dette nøgletal med samme frist."
                ),
            ),
        ]

    def __str__(self) -> str:
        # In the active language's format: the string is shown in choices and headings.
        deadline = date_format(self.deadline, "SHORT_DATE_FORMAT")
        return f"{self.metric_label}: {self.value_display} ({deadline})"

    @property
    def metric(self):
        """The registered metric, or None if its app no longer provides it."""
        from csrprogram.metrics import registry

        return registry.get(self.metric_key) if self.metric_key in registry else None

    @property
    def metric_label(self) -> str:
        metric = self.metric
        return str(metric.label) if metric else self.metric_key

    @property
    def is_percentage(self) -> bool:
        return self.kind == TargetKind.PERCENTAGE

    @property
    def value_display(self) -> str:
        if self.value is None:
            return ""
        # Decimal(str(...)): an unsaved target may still hold the int or str it was given
        # (the change history renders a target before it is read back).
        text = f"{Decimal(str(self.value)).normalize():f}".replace(".", ",")
        return f"{text} %" if self.is_percentage else text

    def clean(self) -> None:
        super().clean()
        from csrprogram.metrics import registry

        errors: dict[str, list] = {}
        if self.metric_key and self.metric_key not in registry:
            errors.setdefault("metric_key", []).append(ValidationError(
                _("Nøgletallet »%(key)s« findes ikke. Vælg et af programmets nøgletal."),
                code="unknown_metric", params={"key": self.metric_key},
            ))
        if self.value is not None and self.value < 0:
            errors.setdefault("value", []).append(
                ValidationError(_("Værdien må ikke være negativ."), code="negative"))
        if (self.kind == TargetKind.ABSOLUTE and self.value is not None
                and self.value != self.value.to_integral_value()):
            errors.setdefault("value", []).append(
                ValidationError(_("Et absolut måltal skal være et helt tal."), code="whole"))
        if self.deadline and self.programme_id:
            programme = self.programme
            if not programme.starts_on <= self.deadline <= programme.ends_on:
                errors.setdefault("deadline", []).append(ValidationError(
                    _("Fristen skal ligge i programmets periode (%(start)s – %(end)s)."),
                    code="outside_period",
                    params={"start": date_format(programme.starts_on, "SHORT_DATE_FORMAT"),
                            "end": date_format(programme.ends_on, "SHORT_DATE_FORMAT")},
                ))
        metric = registry.get(self.metric_key) if self.metric_key in registry else None
        if metric is not None and metric.is_share:
            # A share is compared as a share: its target is a percentage of its own.
            if self.kind == TargetKind.PERCENTAGE:
                errors.setdefault("kind", []).append(ValidationError(
                    _("Nøgletallet er en andel: angiv målet som en procentsats (absolut tal), "
                      "f.eks. 60 for 60 %."), code="share_percentage"))
            elif self.value is not None and self.value > 100:
                errors.setdefault("value", []).append(ValidationError(
                    _("En andel kan højst være 100 %."), code="share_over_100"))
        if self.kind == TargetKind.PERCENTAGE:
            self._clean_reference(errors)
        elif self.reference_id is not None:
            errors.setdefault("reference", []).append(ValidationError(
                _("Kun et procentmål kan henvise til et andet måltal."), code="not_percentage"))
        if errors:
            raise ValidationError(errors)

    def _clean_reference(self, errors: dict) -> None:
        if self.reference_id is None:
            errors.setdefault("reference", []).append(ValidationError(
                _("Vælg det måltal, procentsatsen regnes af."), code="reference_missing"))
            return
        if self.pk is not None and self.reference_id == self.pk:
            errors.setdefault("reference", []).append(ValidationError(
                _("Et måltal kan ikke være en procentdel af sig selv."), code="self"))
            return
        reference = self.reference
        if reference.programme_id != self.programme_id:
            errors.setdefault("reference", []).append(ValidationError(
                _("Måltallet skal høre til samme program."), code="other_programme"))
            return
        # Follow the chain of references: reaching this target again would be a cycle.
        seen = {self.pk} if self.pk is not None else set()
        current = reference
        while current is not None:
            if current.pk in seen:
                errors.setdefault("reference", []).append(ValidationError(
                    _("Måltallene må ikke henvise til hinanden i ring."), code="cycle"))
                return
            seen.add(current.pk)
            current = current.reference

    def percentage_of(self, base: int) -> int:
        """This target's percentage of ``base``, rounded up to a whole number."""
        share = Decimal(self.value) * Decimal(base) / Decimal(100)
        return int(share.to_integral_value(rounding=ROUND_CEILING))


class ReportJob(models.Model):
    """A funder report being generated in the background, and the PDF when it is done."""

    programme = models.ForeignKey(Programme, verbose_name=_("program"),
                                  on_delete=models.CASCADE, related_name="report_jobs")
    requested_by = models.ForeignKey(User, verbose_name=_("bestilt af"),
                                     on_delete=models.SET_NULL, null=True,
                                     related_name="report_jobs")
    status = models.CharField(_("status"), max_length=10, choices=ReportJobStatus.choices,
                              default=ReportJobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    as_of = models.DateField(_("opgjort pr."))
    language = models.CharField(_("sprog"), max_length=10, default="da")
    file = models.FileField(_("fil"), upload_to="reports/%Y/", blank=True)
    error = models.TextField(_("fejl"), blank=True)
    # Due work (DESIGN.md §5): a pending job whose next attempt has come is queued again by
    # the documents sweep; a failed render waits for its back-off, a bounded number of times.
    attempts = models.PositiveSmallIntegerField(_("mislykkede forsøg"), default=0)
    next_attempt_at = models.DateTimeField(_("næste forsøg"), null=True, blank=True)
    created_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: "programme__members"}

    class Meta:
        verbose_name = _("rapportkørsel")
        verbose_name_plural = _("rapportkørsler")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_job_progress_at_most_100",
                violation_error_message=_("Fremdriften kan højst være 100 %."),
            ),
        ]

    def __str__(self) -> str:
        created = date_format(timezone.localtime(self.created_at), "SHORT_DATETIME_FORMAT")
        return f"{self.programme} – {created}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportJobStatus.DONE, ReportJobStatus.FAILED}


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the beat's heartbeat task (one row)."""

    last_seen = models.DateTimeField(_("sidst set"))

    class Meta:
        verbose_name = _("arbejdsproces-puls")
        verbose_name_plural = _("arbejdsproces-puls")

    def __str__(self):
        return f"{self.last_seen:%Y-%m-%d %H:%M:%S}"
