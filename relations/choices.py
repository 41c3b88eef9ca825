from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkKind(models.TextChoices):
    TASK_FORCE = "task_force", _("Task Force")
    DIALOGUE_FORUM = "dialogue_forum", _("Dialogforum")
    LEADER_MENTOR = "leader_mentor", _("Ledermentor")
    SPONSOR_NETWORK = "sponsor_network", _("Sponsornetværk")
    OTHER = "other", _("Andet netværk")


class EventKind(models.TextChoices):
    TASK_FORCE_MEETING = "task_force_meeting", _("Task Force-møde")
    DIALOGUE_FORUM = "dialogue_forum", _("Dialogforum")
    NETWORK_MEETING = "network_meeting", _("Netværksmøde")
    COMPANY_EVENT = "company_event", _("Virksomhedsarrangement")
    JOB_FAIR = "job_fair", _("Jobmesse")
    MENTOR_COURSE = "mentor_course", _("Mentorkursus")
    BREAKFAST_MEETING = "breakfast_meeting", _("Morgenmøde")


class Rsvp(models.TextChoices):
    PENDING = "pending", _("Ikke svaret")
    YES = "yes", _("Deltager")
    NO = "no", _("Deltager ikke")


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Virksomhedsbesøg")
    PHONE = "phone", _("Telefonopkald")
    MEETING = "meeting", _("Møde")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("Arrangement")
