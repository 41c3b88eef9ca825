from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from csrprogram.policy import PROGRAMMES, RestrictedQuerySet
from followups.choices import SCHEDULED_KINDS, MatchQuality, VisitKind, VisitStatus
from placements.models import Placement


class Visit(models.Model):
    """A follow-up visit at the employer (jobopfølgning / virksomhedsbesøg).

    The ½- and 2½-month visits are created with the placement (one of each per placement);
    extra and aftercare visits are added by the consultant. The reminder and escalation
    timestamps are set by the sweep (``followups.services``) once the email has gone out.
    """

    placement = models.ForeignKey(Placement, verbose_name=_("forløb"),
                                  on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("besøg"), max_length=20, choices=VisitKind.choices)
    due_date = models.DateField(_("planlagt dato"))
    status = models.CharField(_("status"), max_length=20, choices=VisitStatus.choices,
                              default=VisitStatus.PLANNED)
    done_on = models.DateField(_("besøgt den"), null=True, blank=True)
    met_whom = models.CharField(_("hvem mødte du"), max_length=200, blank=True,
                                help_text=_("F.eks. nærmeste leder og borgeren."))
    match_quality = models.CharField(_("vurdering af matchet"), max_length=20,
                                     choices=MatchQuality.choices, blank=True)
    notes = models.TextField(_("noter"), blank=True,
                             help_text=_("Skriv aldrig CPR-nummer eller helbredsoplysninger."))
    agreed_actions = models.TextField(_("aftalte handlinger"), blank=True)
    another_visit_needed = models.BooleanField(_("behov for et ekstra besøg"), default=False)
    cancel_reason = models.CharField(_("årsag til aflysning"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registreret af"),
                                    on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reminded_at = models.DateTimeField(_("påmindelse sendt"), null=True, blank=True,
                                       editable=False)
    escalated_at = models.DateTimeField(_("sendt til teamleder"), null=True, blank=True,
                                        editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: "placement__programme__members"}

    class Meta:
        verbose_name = _("opfølgningsbesøg")
        verbose_name_plural = _("opfølgningsbesøg")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind"], condition=Q(kind__in=SCHEDULED_KINDS),
                name="visit_scheduled_kind_once",
                violation_error_message=_("Forløbet har allerede dette opfølgningsbesøg."),
            ),
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.DONE)
                | (Q(done_on__isnull=False) & ~Q(match_quality="")),
                name="visit_done_has_date_and_quality",
                violation_error_message=_(
                    "Et gennemført besøg skal have en dato og en vurdering af matchet."),
            ),
        ]
        indexes = [
            # The sweep and the work list look for open visits by due date.
            models.Index(fields=["status", "due_date"], name="visit_status_due"),
            # A company's latest visits (followups.selectors.visits_for_company): the busiest
            # company's are read in this order until enough belong to it, not thousands
            # sorted (issue 14); the planner still takes the company's own rows for a small one.
            models.Index(fields=["-due_date", "id"], name="visit_latest_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.due_date:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.status == VisitStatus.PLANNED


class VisitReschedule(models.Model):
    """The history of a visit's due date: who moved it, from when to when, and why."""

    visit = models.ForeignKey(Visit, verbose_name=_("besøg"), on_delete=models.CASCADE,
                              related_name="reschedules")
    previous_due_date = models.DateField(_("tidligere dato"))
    new_due_date = models.DateField(_("ny dato"))
    reason = models.CharField(_("begrundelse"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("flyttet af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    changed_at = models.DateTimeField(_("flyttet"), auto_now_add=True)

    class Meta:
        verbose_name = _("flytning af besøg")
        verbose_name_plural = _("flytninger af besøg")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.previous_due_date:%d-%m-%Y} → {self.new_due_date:%d-%m-%Y}"


class CalendarFeed(models.Model):
    """A consultant's secret calendar address (iCal), revocable by deleting the row.

    The token is the only credential of the feed URL, so it is long and random; revoking makes
    the old address a 404 at once.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("bruger"),
                                on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(_("nøgle"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")

    def __str__(self) -> str:
        return str(self.user)
