"""The matching queues of the home pages (see ``csrprogram.queues``).

Consultant: candidacies presented to an employer who has not answered for
``ANSWER_WAIT_WORKING_DAYS`` working days; open openings in running programmes without a
candidate waiting for an answer; the consultant's enrolled citizens without a proposal for
``NO_PROPOSAL_WEEKS`` weeks. Company contact: the candidates waiting for the company's answer,
and the company's consultant at the job centre.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizens.choices import EnrolmentStatus
from citizens.models import Citizen, Enrolment
from csrprogram.models import User
from csrprogram.policy import company_id_of
from csrprogram.queues import HomeQueue, QueueItem, QueueResult, register
from csrprogram.workdays import subtract_working_days
from placements.choices import CandidacyStatus, OpeningStatus, PlacementStatus
from placements.models import Candidacy, JobOpening, Placement
from placements.selectors import candidacies_visible_to, openings_visible_to, portal_candidacy
from placements.services import DECIDABLE

# The employer is expected to answer within a week (seed 001: "hurtig afklaring"); after five
# working days the consultant should call.
ANSWER_WAIT_WORKING_DAYS = 5
# An enrolled citizen with no proposal for four weeks needs the consultant's attention.
NO_PROPOSAL_WEEKS = 4


def candidacies_awaiting_answer_queue(user, today: dt.date, limit: int) -> QueueResult:
    """Candidacies of the consultant's citizens presented at least
    ``ANSWER_WAIT_WORKING_DAYS`` working days ago and still without the employer's answer."""
    cutoff = subtract_working_days(today, ANSWER_WAIT_WORKING_DAYS)
    queryset = (candidacies_visible_to(user, "change")
                .filter(status=CandidacyStatus.PRESENTED, presented_on__lte=cutoff,
                        citizen__consultant=user)
                .select_related("citizen", "opening__company"))
    items = [QueueItem(
        label=candidacy.citizen.display_name,
        detail=f"{candidacy.opening.title} · {candidacy.opening.company.name}",
        url=reverse("placements:candidacy-decide", args=[candidacy.pk]),
        action_label=_("Registrér virksomhedens svar"), day=candidacy.presented_on,
        day_label=_("præsenteret"), citizen_id=candidacy.citizen_id,
    ) for candidacy in queryset.order_by("presented_on", "pk")[:limit]]
    return QueueResult(count=queryset.count(), items=items)


def openings_without_candidate_queue(user, today: dt.date, limit: int) -> QueueResult:
    """Open openings (positions left) of running programmes with no candidate proposed or
    presented."""
    waiting = Candidacy.objects.filter(opening=OuterRef("pk"), status__in=DECIDABLE)
    queryset = (openings_visible_to(user, "change")
                .filter(status=OpeningStatus.OPEN, positions_filled__lt=F("positions"),
                        programme__starts_on__lte=today, programme__ends_on__gte=today)
                .filter(~Exists(waiting)))
    items = [QueueItem(
        label=opening.title, detail=opening.company.name,
        url=reverse("placements:opening-match", args=[opening.pk]),
        action_label=_("Find kandidater"), day=opening.registered_on,
        day_label=_("registreret"),
    ) for opening in queryset.order_by("registered_on", "pk")[:limit]]
    return QueueResult(count=queryset.count(), items=items)


def citizens_without_proposal_queue(user, today: dt.date, limit: int) -> QueueResult:
    """The consultant's citizens enrolled (not in job) in a running programme for at least
    ``NO_PROPOSAL_WEEKS`` weeks, with no proposal in that time and no placement running."""
    since = today - dt.timedelta(weeks=NO_PROPOSAL_WEEKS)
    enrolled = Enrolment.objects.filter(
        citizen=OuterRef("pk"), status=EnrolmentStatus.ACTIVE, enrolled_on__lte=since,
        programme__starts_on__lte=today, programme__ends_on__gte=today)
    recent = Candidacy.objects.filter(citizen=OuterRef("pk"),
                                      proposed_at__date__gte=since)
    running = Placement.objects.filter(citizen=OuterRef("pk"), status=PlacementStatus.ACTIVE)
    # A restricted (or erased) citizen cannot be proposed (issue 16): not asked for here.
    queryset = (Citizen.objects.restrict(user, "view").filter(consultant=user)
                .filter(restricted_at__isnull=True, erased_at__isnull=True)
                .filter(Exists(enrolled), ~Exists(recent), ~Exists(running)))
    rows = queryset.annotate(enrolled_on=Subquery(
        enrolled.order_by("enrolled_on").values("enrolled_on")[:1]))
    items = [QueueItem(
        label=citizen.display_name,
        detail=_("%(hours)s timer om ugen") % {"hours": citizen.weekly_hours},
        url=reverse("citizens:citizen-detail", args=[citizen.pk]),
        action_label=_("Se borgeren"), day=citizen.enrolled_on, day_label=_("visiteret"),
        citizen_id=citizen.pk,
    ) for citizen in rows.order_by("enrolled_on", "pk")[:limit]]
    return QueueResult(count=queryset.count(), items=items)


def candidates_for_company_queue(user, today: dt.date, limit: int) -> QueueResult:
    """The candidates presented to the contact's company and waiting for its answer, named as
    the portal names them (a number until the employer asks to meet, issue 16)."""
    queryset = portal_candidacy(user).filter(status=CandidacyStatus.PRESENTED)
    items = [QueueItem(
        label=candidacy.portal_name, detail=candidacy.opening.title,
        url=reverse("placements:portal-candidacy", args=[candidacy.pk]),
        action_label=_("Giv jeres svar"), day=candidacy.presented_on,
        day_label=_("præsenteret"), citizen_id=candidacy.citizen_id,
    ) for candidacy in queryset.order_by("presented_on", "pk")[:limit]]
    return QueueResult(count=queryset.count(), items=items)


def company_consultant_queue(user, today: dt.date, limit: int) -> QueueResult:
    """The job centre's consultant of the contact's company: the consultant of its most
    recent placement, else whoever registered its most recent opening."""
    company_id = company_id_of(user)
    if company_id is None:
        return QueueResult(count=0)
    # One query, two index steps: the newest placement's consultant, else the newest
    # opening's author (issue 14: asking every user whether they ever placed anyone at the
    # company took 30 ms for a company with thousands of placements).
    latest_placement = (Placement.objects.filter(company_id=company_id,
                                                 consultant__is_active=True)
                        .order_by("-start_date", "-pk").values("consultant_id")[:1])
    latest_opening = (JobOpening.objects.filter(company_id=company_id,
                                                created_by__is_active=True)
                      .order_by("-registered_on", "-pk").values("created_by_id")[:1])
    consultant = User.objects.filter(
        pk=Coalesce(Subquery(latest_placement), Subquery(latest_opening))).first()
    if consultant is None:
        return QueueResult(count=0)
    contact = " · ".join(part for part in (consultant.job_title, consultant.email,
                                           consultant.phone) if part)
    return QueueResult(count=1, items=[QueueItem(
        label=consultant.get_full_name() or consultant.email, detail=contact,
        url=f"mailto:{consultant.email}", action_label=_("Skriv en e-mail"))])


register(HomeQueue(
    key="candidacies-awaiting", title=gettext_lazy("Kandidater uden svar fra virksomheden"),
    ability="csrprogram.carry_caseload", items=candidacies_awaiting_answer_queue, order=20,
    description=format_lazy(gettext_lazy("Præsenteret for mindst {days} arbejdsdage siden."),
                            days=ANSWER_WAIT_WORKING_DAYS),
    empty_text=gettext_lazy("Ingen kandidater venter længe på svar."),
))
register(HomeQueue(
    key="openings-without-candidate", title=gettext_lazy("Jobåbninger uden kandidat"),
    ability="csrprogram.carry_caseload", items=openings_without_candidate_queue, order=30,
    empty_text=gettext_lazy("Alle åbne jobåbninger har en kandidat."),
))
register(HomeQueue(
    key="citizens-without-proposal",
    title=format_lazy(gettext_lazy("Borgere uden forslag i {weeks} uger"),
                      weeks=NO_PROPOSAL_WEEKS),
    ability="csrprogram.carry_caseload", items=citizens_without_proposal_queue, order=40,
    empty_text=gettext_lazy("Alle dine visiterede borgere har fået et forslag for nylig."),
))
register(HomeQueue(
    key="candidates-for-company", title=gettext_lazy("Kandidater, der venter på jeres svar"),
    ability="placements.decide_candidacy", items=candidates_for_company_queue, order=10,
    empty_text=gettext_lazy("Ingen kandidater venter på jeres svar."),
))
register(HomeQueue(
    key="company-consultant", title=gettext_lazy("Jeres konsulent"),
    ability="companies.view_portal", items=company_consultant_queue, order=40,
    empty_text=gettext_lazy("Jobcentret har endnu ikke en fast konsulent for jer."),
))
