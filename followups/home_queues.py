"""The follow-up queues of the home pages (see ``csrprogram.queues``).

Consultant: the visits of their own caseload due this week or overdue, and their visits that
were escalated to a team leader. Team leader: every escalated visit still open. Company
contact: the next follow-up visit at their company (date and kind only: the visit notes are
the job centre's).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csrprogram.queues import HomeQueue, QueueItem, QueueResult, register
from followups.choices import VisitStatus
from followups.models import Visit
from followups.selectors import visits_visible_to, week_bounds
from placements.choices import PlacementStatus


def _open(user) -> QuerySet[Visit]:
    return visits_visible_to(user).filter(status=VisitStatus.PLANNED,
                                          placement__status=PlacementStatus.ACTIVE)


def _visit_items(visits, today: dt.date, *, action_label: str) -> list[QueueItem]:
    return [QueueItem(
        label=visit.placement.citizen.display_name,
        detail=f"{visit.get_kind_display()} · {visit.placement.company.name}",
        url=reverse("followups:visit-detail", args=[visit.pk]),
        action_label=action_label, day=visit.due_date,
        day_label=_("Overskredet") if visit.due_date < today else "",
        warning=visit.due_date < today, citizen_id=visit.placement.citizen_id,
    ) for visit in visits]


def visits_due_queue(user, today: dt.date, limit: int) -> QueueResult:
    """The consultant's own open visits due by Sunday of this week, overdue first."""
    _monday, sunday = week_bounds(today)
    queryset = _open(user).filter(placement__consultant=user, due_date__lte=sunday)
    return QueueResult(count=queryset.count(), items=_visit_items(
        queryset.order_by("due_date", "pk")[:limit], today, action_label=_("Registrér besøget")))


def my_escalations_queue(user, today: dt.date, limit: int) -> QueueResult:
    """The consultant's open visits that were escalated to a team leader."""
    queryset = _open(user).filter(placement__consultant=user, escalated_at__isnull=False)
    return QueueResult(count=queryset.count(), items=_visit_items(
        queryset.order_by("due_date", "pk")[:limit], today, action_label=_("Registrér besøget")))


def escalated_visits_queue(user, today: dt.date, limit: int) -> QueueResult:
    """Every open visit escalated to the team leaders (they follow up with the consultant)."""
    queryset = _open(user).filter(escalated_at__isnull=False)
    items = []
    for visit in queryset.order_by("due_date", "pk")[:limit]:
        consultant = visit.placement.consultant
        items.append(QueueItem(
            label=visit.placement.citizen.display_name,
            detail=(f"{visit.get_kind_display()} · {visit.placement.company.name} · "
                    + _("konsulent: %(name)s") % {"name": consultant or "–"}),
            url=reverse("followups:visit-detail", args=[visit.pk]),
            action_label=_("Se besøget"), day=visit.due_date, day_label=_("Overskredet"),
            warning=True, citizen_id=visit.placement.citizen_id))
    return QueueResult(count=queryset.count(), items=items)


def next_company_visit_queue(user, today: dt.date, limit: int) -> QueueResult:
    """The contact's company's next planned follow-up visits: date, kind and candidate."""
    from csrprogram.policy import company_id_of

    company_id = company_id_of(user)
    if company_id is None:
        return QueueResult(count=0)
    # Company contacts may not read visits (their notes are the job centre's), so this reads
    # only the date and kind of the visits at their own company.
    queryset = (Visit.objects.filter(placement__company_id=company_id,
                                     placement__status=PlacementStatus.ACTIVE,
                                     status=VisitStatus.PLANNED, due_date__gte=today)
                .select_related("placement__citizen", "placement__consultant"))
    items = [QueueItem(
        # The employer knows its employee; a restricted or erased citizen is a placement
        # number here (the company is not told about the restriction, issue 16).
        label=(visit.placement.citizen.display_name
               if not visit.placement.citizen.is_restricted
               else _("Forløb nr. %(number)s") % {"number": visit.placement_id}),
        detail=(f"{visit.get_kind_display()} · "
                + _("konsulent: %(name)s") % {"name": visit.placement.consultant or "–"}),
        url=reverse("companies:portal"), day=visit.due_date,
    ) for visit in queryset.order_by("due_date", "pk")[:limit]]
    return QueueResult(count=queryset.count(), items=items)


register(HomeQueue(
    key="visits-due", title=gettext_lazy("Besøg denne uge og overskredne"),
    ability="csrprogram.carry_caseload", items=visits_due_queue, order=10,
    empty_text=gettext_lazy("Ingen besøg denne uge, og ingen er overskredet."),
))
register(HomeQueue(
    key="my-escalations", title=gettext_lazy("Mine besøg sendt til teamleder"),
    ability="csrprogram.carry_caseload", items=my_escalations_queue, order=50,
    empty_text=gettext_lazy("Ingen af dine besøg er sendt videre til en teamleder."),
))
register(HomeQueue(
    key="escalated-visits", title=gettext_lazy("Overskredne besøg sendt til teamleder"),
    ability="followups.receive_escalation", items=escalated_visits_queue, order=30,
    empty_text=gettext_lazy("Ingen overskredne besøg er sendt videre."),
))
register(HomeQueue(
    key="next-visit", title=gettext_lazy("Næste opfølgningsbesøg"),
    ability="companies.view_portal", items=next_company_visit_queue, order=30,
    empty_text=gettext_lazy("Der er ingen planlagte opfølgningsbesøg hos jer."),
))
