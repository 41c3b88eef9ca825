"""Reads of the relations app, scoped by the access policy (``csrprogram.policy``).

Staff read networks, events, courses and the contact log; company contacts read none of it
(the notes are the job centre's). Each list and section uses a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from citizens.choices import ConsentKind
from citizens.models import Citizen, Consent
from citizens.selectors import citizen_sort_name
from companies.models import Company
from csrprogram.models import User
from placements.choices import OpeningStatus
from relations.choices import Rsvp
from relations.models import (
    ContactLogEntry,
    Event,
    EventStory,
    Invitation,
    MentorCourse,
    MentorTrainee,
    Network,
    NetworkMembership,
    Responsibility,
    SpottedOpening,
)


def events_visible_to(user: User, action: str = "view") -> QuerySet[Event]:
    return Event.objects.restrict(user, action).select_related("programme", "network")


def event_list(user: User) -> QuerySet[Event]:
    """The events list: invited, attending and spotted counts per event."""
    return (events_visible_to(user).annotate(
        invited=Count("invitations", distinct=True),
        attending=Count("invitations", filter=Q(invitations__rsvp=Rsvp.YES), distinct=True),
        spotted=Count("spotted_openings", distinct=True))
        .order_by("-starts_at", "-pk"))


def event_detail(user: User, action: str = "view") -> QuerySet[Event]:
    """The queryset an event page fetches its event from: invitations and spotted jobs."""
    invitations = Invitation.objects.select_related("company", "contact").order_by(
        "company__name", "pk")
    spotted = SpottedOpening.objects.select_related(
        "opening__company", "consultant").annotate(
        placements=Count("opening__placements")).order_by("opening__company__name", "pk")
    return (events_visible_to(user, action)
            .prefetch_related(Prefetch("invitations", queryset=invitations),
                              Prefetch("spotted_openings", queryset=spotted)))


def story_consent_in_force(day: dt.date, *, prefix: str = "") -> Q:
    """Citizens (``prefix`` = the path from the queried model to the citizen, e.g.
    ``"citizen__"``) with a consent to tell their story at events
    (``ConsentKind.EVENT_STORY``) in force on ``day``: given on or before it and not
    withdrawn on or before it."""
    consents = Consent.objects.filter(kind=ConsentKind.EVENT_STORY, given_on__lte=day).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
    return Q(**{f"{prefix}pk__in": consents.values("citizen_id")})


def event_day(event: Event) -> dt.date:
    """The event's day in Copenhagen."""
    return timezone.localtime(event.starts_at).date()


def stories_visible_to(user: User, event: Event) -> QuerySet[EventStory]:
    """The citizens who tell their story at ``event`` that ``user`` may see (a staff page
    only: company contacts never reach events). Erased citizens' stories are deleted by the
    erasure; a restricted citizen's row stays, shown without the name."""
    return (EventStory.objects.filter(event=event, citizen__in=Citizen.objects.restrict(user))
            .select_related("citizen").order_by(citizen_sort_name("citizen__"), "pk"))


def story_candidates(user: User, event: Event) -> QuerySet[Citizen]:
    """Citizens ``user`` may see who could tell their story at ``event``: the consent
    (``ConsentKind.EVENT_STORY``) in force on the event's day and today, neither restricted
    nor erased, not already telling it there. Offered on the event's stories page."""
    today = timezone.localdate()
    return (Citizen.objects.restrict(user)
            .filter(story_consent_in_force(event_day(event)), story_consent_in_force(today),
                    restricted_at__isnull=True, erased_at__isnull=True)
            .exclude(event_stories__event=event).order_by("name", "pk"))


def invitations_visible_to(user: User, action: str = "view") -> QuerySet[Invitation]:
    """Invitations of the events ``user`` may ``action``."""
    return Invitation.objects.filter(event__in=Event.objects.restrict(user, action)).select_related(
        "event__programme", "company", "contact")


def spotted_visible_to(user: User, action: str = "view") -> QuerySet[SpottedOpening]:
    return SpottedOpening.objects.restrict(user, action).select_related(
        "opening__company", "event")


def networks_visible_to(user: User, action: str = "view") -> QuerySet[Network]:
    return Network.objects.restrict(user, action)


def network_list(user: User) -> QuerySet[Network]:
    return networks_visible_to(user).annotate(
        members=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    ).order_by("name", "pk")


def network_detail(user: User, action: str = "view") -> QuerySet[Network]:
    memberships = NetworkMembership.objects.select_related("company", "representative").order_by(
        "left_on", "company__name", "pk")
    return networks_visible_to(user, action).prefetch_related(
        Prefetch("memberships", queryset=memberships), "programmes")


def courses_visible_to(user: User, action: str = "view") -> QuerySet[MentorCourse]:
    return MentorCourse.objects.restrict(user, action).select_related("programme")


def course_list(user: User) -> QuerySet[MentorCourse]:
    return courses_visible_to(user).annotate(
        participants=Count("trainees"),
        completed=Count("trainees", filter=Q(trainees__completed_on__isnull=False)),
    ).order_by("-starts_on", "-pk")


def course_detail(user: User, action: str = "view") -> QuerySet[MentorCourse]:
    trainees = MentorTrainee.objects.select_related("company").order_by(
        "company__name", "name", "pk")
    return courses_visible_to(user, action).prefetch_related(
        Prefetch("trainees", queryset=trainees))


def trainees_visible_to(user: User) -> QuerySet[MentorTrainee]:
    return MentorTrainee.objects.filter(
        course__in=MentorCourse.objects.restrict(user)).select_related("course", "company")


def contact_log_visible_to(user: User, action: str = "view") -> QuerySet[ContactLogEntry]:
    return ContactLogEntry.objects.restrict(user, action).select_related("company", "staff")


# --- The company page ----------------------------------------------------------------------------

def relationship_of(company: Company, user: User) -> dict:
    """Everything the company page shows of the relationship, in a fixed number of queries:
    the responsible consultant's history, the contact log, networks, events, spotted jobs
    and what became of them, and the trained mentors."""
    contacts = list(contact_log_visible_to(user).filter(company=company)
                    .select_related("event").order_by("-occurred_on", "-pk")[:25])
    history = list(Responsibility.objects.restrict(user, ability="relations.view_contactlogentry")
                   .filter(company=company).select_related("consultant")
                   .order_by("-started_on", "-pk"))
    memberships = list(NetworkMembership.objects.filter(
        company=company, network__in=networks_visible_to(user)).select_related(
        "network", "representative").order_by("left_on", "-joined_on", "pk"))
    invitations = list(Invitation.objects.filter(
        company=company, event__in=Event.objects.restrict(user)).select_related("event")
        .order_by("-event__starts_at", "pk"))
    spotted = list(spotted_visible_to(user).filter(opening__company=company).annotate(
        placements=Count("opening__placements")).order_by("-opening__registered_on", "pk"))
    mentors = list(trainees_visible_to(user).filter(company=company).order_by(
        "-course__starts_on", "name", "pk"))
    return {"contacts": contacts, "responsibilities": history, "memberships": memberships,
            "invitations": invitations, "spotted": spotted, "mentors": mentors,
            "filled_status": OpeningStatus.FILLED}


# --- The work list -------------------------------------------------------------------------------

def next_steps_open(user: User, *, until: dt.date | None = None) -> QuerySet[ContactLogEntry]:
    """Agreed next steps not yet done that ``user`` logged, or of companies ``user`` is the
    responsible consultant of (the contact was someone else's, the follow-up is theirs)."""
    queryset = (ContactLogEntry.objects.filter(next_step_on__isnull=False,
                                               next_step_done_on__isnull=True)
                .filter(Q(staff=user) | Q(company__responsible_consultant=user))
                .select_related("company").order_by("next_step_on", "pk"))
    return queryset if until is None else queryset.filter(next_step_on__lte=until)


def spotted_followups_open(user: User, *, until: dt.date | None = None
                           ) -> QuerySet[SpottedOpening]:
    """Spotted jobs whose company ``user`` must still contact (as responsible consultant)."""
    queryset = (SpottedOpening.objects.filter(consultant=user, contacted_on__isnull=True)
                .select_related("opening__company").order_by("due_on", "pk"))
    return queryset if until is None else queryset.filter(due_on__lte=until)
