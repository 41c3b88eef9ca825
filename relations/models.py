"""The company relationship: networks, events with invitations and spotted jobs, employee mentor
training, the responsible consultant's history and the contact log (issue 15, seeds 001/002).

The link from an opening to the event where it was spotted lives here (``SpottedOpening``), not
on ``placements.JobOpening``, so the apps below never know this one exists.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, ContactPerson
from csrprogram.models import Programme
from csrprogram.policy import PROGRAMMES, UNRESTRICTED, RestrictedQuerySet
from placements.models import JobOpening
from relations.choices import ContactKind, EventKind, NetworkKind, Rsvp

JOB_CENTRE = _("Jobcentret")


def _programme_or_none(user) -> Q:
    """A consultant reaches the rows of their programmes and the rows of no programme."""
    return Q(programme__members=user) | Q(programme__isnull=True)


class Network(models.Model):
    """A company network (Task Force, Dialogforum, Ledermentor, a sports club's sponsors)."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=NetworkKind.choices)
    programmes = models.ManyToManyField(Programme, verbose_name=_("programmer"), blank=True,
                                        related_name="networks")
    organiser = models.CharField(
        _("arrangør"), max_length=200, default=JOB_CENTRE,
        help_text=_("Jobcentret eller en partner, fx en idrætsklub eller en forening."))
    description = models.TextField(_("beskrivelse"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    # Networks are shared by all staff, like the company register.
    access_scopes = {PROGRAMMES: UNRESTRICTED}

    class Meta:
        verbose_name = _("netværk")
        verbose_name_plural = _("netværk")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    """A company's membership of a network over time, with its representative."""

    network = models.ForeignKey(Network, verbose_name=_("netværk"), on_delete=models.CASCADE,
                                related_name="memberships")
    company = models.ForeignKey(Company, verbose_name=_("virksomhed"),
                                on_delete=models.CASCADE, related_name="network_memberships")
    representative = models.ForeignKey(
        ContactPerson, verbose_name=_("repræsentant"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="network_memberships")
    joined_on = models.DateField(_("indtrådt"))
    left_on = models.DateField(_("udtrådt"), null=True, blank=True)

    class Meta:
        verbose_name = _("netværksmedlem")
        verbose_name_plural = _("netværksmedlemmer")
        ordering = ["company__name", "-joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("Udtrædelsen kan ikke ligge før indtrædelsen.")),
            models.UniqueConstraint(
                fields=["network", "company"], condition=Q(left_on__isnull=True),
                name="membership_one_current",
                violation_error_message=_("Virksomheden er allerede medlem af netværket.")),
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.network}"


class Event(models.Model):
    """A company event: a Task Force meeting, a dialogue forum, a breakfast meeting …"""

    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=EventKind.choices)
    programme = models.ForeignKey(Programme, verbose_name=_("program"),
                                  on_delete=models.PROTECT, related_name="events")
    network = models.ForeignKey(Network, verbose_name=_("netværk"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="events")
    organiser = models.CharField(_("arrangør"), max_length=200, default=JOB_CENTRE)
    place = models.CharField(_("sted"), max_length=200)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    description = models.TextField(_("beskrivelse"), blank=True)
    letter_signatory = models.CharField(
        _("brevet underskrives af"), max_length=200, blank=True,
        help_text=_("Fx borgmesteren eller jobcenterchefen: navn og titel."))
    letter_body = models.TextField(
        _("invitationsbrevets tekst"), blank=True,
        help_text=_("Den personlige invitation; virksomhedens navn og kontaktperson sættes "
                    "ind automatisk."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oprettet af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    access_scopes = {PROGRAMMES: "programme__members"}

    class Meta:
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementer")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start",
                violation_error_message=_("Arrangementet skal slutte efter det starter.")),
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A company invited to an event: the personal letter, the RSVP and the attendance."""

    event = models.ForeignKey(Event, verbose_name=_("arrangement"), on_delete=models.CASCADE,
                              related_name="invitations")
    company = models.ForeignKey(Company, verbose_name=_("virksomhed"),
                                on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(ContactPerson, verbose_name=_("kontaktperson"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="event_invitations")
    rsvp = models.CharField(_("svar"), max_length=10, choices=Rsvp.choices,
                            default=Rsvp.PENDING)
    rsvp_on = models.DateField(_("svaret den"), null=True, blank=True)
    attended = models.BooleanField(_("deltog"), default=False)
    # Due work (DESIGN.md §5): asked for, then sent; the sweep re-queues what a lost broker
    # left undone.
    send_requested_at = models.DateTimeField(_("afsendelse bestilt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    send_error = models.TextField(_("fejl ved afsendelse"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")
        ordering = ["company__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "company"], name="invitation_once_per_company",
                violation_error_message=_(
                    "Virksomheden er allerede inviteret til arrangementet.")),
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.event}"


class EventStory(models.Model):
    """A citizen who tells their story at an event (only with a recorded consent)."""

    event = models.ForeignKey(Event, verbose_name=_("arrangement"), on_delete=models.CASCADE,
                              related_name="stories")
    citizen = models.ForeignKey("citizens.Citizen", verbose_name=_("borger"),
                                on_delete=models.CASCADE, related_name="event_stories")
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("borgerfortælling")
        verbose_name_plural = _("borgerfortællinger")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "citizen"], name="story_once_per_event",
                violation_error_message=_("Borgeren fortæller allerede ved arrangementet.")),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.citizen_id}"


class SpottedOpening(models.Model):
    """An opening spotted at an event, and the job centre's promised follow-up.

    Seed 002: the job centre contacts the company "i de første dage efter"; ``due_on`` is the
    programme's ``spotted_followup_working_days`` working days after the event.
    """

    opening = models.OneToOneField(JobOpening, verbose_name=_("jobåbning"),
                                   on_delete=models.CASCADE, related_name="spotted")
    event = models.ForeignKey(Event, verbose_name=_("arrangement"), on_delete=models.PROTECT,
                              related_name="spotted_openings")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("konsulent"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="spotted_followups",
        help_text=_("Virksomhedens ansvarlige konsulent, da jobbet blev spottet."))
    due_on = models.DateField(_("kontakt senest"))
    contacted_on = models.DateField(_("kontaktet den"), null=True, blank=True)
    contacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("kontaktet af"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    reminded_at = models.DateTimeField(_("påmindet"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_scopes = {PROGRAMMES: "event__programme__members"}

    class Meta:
        verbose_name = _("spottet job")
        verbose_name_plural = _("spottede job")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return str(self.opening)

    @property
    def in_time(self) -> bool | None:
        """Contacted no later than due (None while not contacted)."""
        return None if self.contacted_on is None else self.contacted_on <= self.due_on


class MentorCourse(models.Model):
    """An employee mentor course (medarbejdermentoruddannelse, seed 001)."""

    title = models.CharField(_("titel"), max_length=200)
    programme = models.ForeignKey(Programme, verbose_name=_("program"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="mentor_courses")
    organiser = models.CharField(_("arrangør"), max_length=200, default=JOB_CENTRE)
    place = models.CharField(_("sted"), max_length=200, blank=True)
    starts_on = models.DateField(_("startdato"))
    ends_on = models.DateField(_("slutdato"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oprettet af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()
    access_scopes = {PROGRAMMES: _programme_or_none}

    class Meta:
        verbose_name = _("mentorkursus")
        verbose_name_plural = _("mentorkurser")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="mentor_course_ends_after_start",
                violation_error_message=_("Kurset kan ikke slutte før det starter.")),
        ]

    def __str__(self) -> str:
        return self.title


class MentorTrainee(models.Model):
    """A company employee on a mentor course; ``completed_on`` earns the certificate."""

    course = models.ForeignKey(MentorCourse, verbose_name=_("kursus"),
                               on_delete=models.CASCADE, related_name="trainees")
    company = models.ForeignKey(Company, verbose_name=_("virksomhed"),
                                on_delete=models.CASCADE, related_name="mentor_trainees")
    name = models.CharField(_("navn"), max_length=200)
    job_title = models.CharField(_("stilling"), max_length=100, blank=True)
    completed_on = models.DateField(_("gennemført den"), null=True, blank=True)

    class Meta:
        verbose_name = _("medarbejdermentor")
        verbose_name_plural = _("medarbejdermentorer")
        ordering = ["company__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "company", "name"], name="trainee_once_per_course",
                violation_error_message=_("Medarbejderen er allerede tilmeldt kurset.")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})"


class ContactLogEntry(models.Model):
    """One contact with a company: who from the job centre, whom at the company, what was
    said, and the next agreed step with its date (on the staff member's work list)."""

    company = models.ForeignKey(Company, verbose_name=_("virksomhed"),
                                on_delete=models.CASCADE, related_name="contact_log")
    kind = models.CharField(_("kontaktform"), max_length=10, choices=ContactKind.choices)
    occurred_on = models.DateField(_("dato"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("fra jobcentret"),
                              on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    company_person = models.CharField(_("hos virksomheden"), max_length=200, blank=True)
    summary = models.TextField(_("kort referat"))
    next_step = models.CharField(_("næste skridt"), max_length=300, blank=True)
    next_step_on = models.DateField(_("næste skridt senest"), null=True, blank=True)
    next_step_done_on = models.DateField(_("næste skridt udført"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("påmindet"), null=True, blank=True)
    event = models.ForeignKey(Event, verbose_name=_("arrangement"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="contact_log")
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    access_scopes = {PROGRAMMES: UNRESTRICTED}

    class Meta:
        verbose_name = _("kontakt")
        verbose_name_plural = _("kontaktlog")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_step_on__isnull=True) | ~Q(next_step=""),
                name="contact_next_step_has_text",
                violation_error_message=_("Skriv, hvad det næste skridt er.")),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.occurred_on}"


class Responsibility(models.Model):
    """A period in which a consultant is a company's responsible consultant (the history;
    ``Company.responsible_consultant`` holds the current one)."""

    company = models.ForeignKey(Company, verbose_name=_("virksomhed"),
                                on_delete=models.CASCADE, related_name="responsibilities")
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("konsulent"),
                                   on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("fra"))
    ended_on = models.DateField(_("til"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ændret af"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()
    access_scopes = {PROGRAMMES: UNRESTRICTED}

    class Meta:
        verbose_name = _("ansvarlig konsulent")
        verbose_name_plural = _("ansvarlige konsulenter")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(ended_on__isnull=True),
                name="responsibility_one_current",
                violation_error_message=_("Virksomheden har allerede en ansvarlig konsulent.")),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.consultant}"
