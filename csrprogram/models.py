from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from csrprogram.choices import Role, TargetGroup


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

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The user's roles, read once per request (navigation asks several times)."""
        if not self.is_authenticated:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_names

    @property
    def is_consultant(self) -> bool:
        return self.has_role(Role.CONSULTANT)

    @property
    def is_team_leader(self) -> bool:
        return self.has_role(Role.TEAM_LEADER)

    @property
    def is_company_contact(self) -> bool:
        return self.has_role(Role.COMPANY_CONTACT)

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMINISTRATOR)


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
    members = models.ManyToManyField(
        User, verbose_name=_("medarbejdere"), related_name="programmes", blank=True,
        help_text=_("Konsulenter og teamledere, der arbejder i programmet."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

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

    def get_target_groups_display(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(value, value)) for value in self.target_groups or []]


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the beat's heartbeat task (one row)."""

    last_seen = models.DateTimeField(_("sidst set"))

    class Meta:
        verbose_name = _("arbejdsproces-puls")
        verbose_name_plural = _("arbejdsproces-puls")

    def __str__(self):
        return f"{self.last_seen:%Y-%m-%d %H:%M:%S}"
