"""The relations app's due work on the consultant's work list and in the reminder digest
(``followups.worklist``): agreed next steps of the contact log, and companies to contact about
jobs spotted at events."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followups.services import reminder_window_end
from followups.worklist import WorkItem, WorkSource, register
from relations import selectors
from relations.models import ContactLogEntry, SpottedOpening

LIMIT = 50


def _company_url(company_id: int) -> str:
    return reverse("companies:company-detail", args=[company_id])


def _step_item(entry: ContactLogEntry) -> WorkItem:
    return WorkItem(due_date=entry.next_step_on, title=entry.next_step,
                    company=entry.company.name,
                    url=f"{_company_url(entry.company_id)}#relations-contacts")


def _spotted_item(spotted: SpottedOpening) -> WorkItem:
    return WorkItem(due_date=spotted.due_on,
                    title=_("Kontakt virksomheden om spottet job: %(title)s")
                    % {"title": spotted.opening.title},
                    company=spotted.opening.company.name,
                    url=reverse("relations:spotted-contacted", args=[spotted.pk]))


def _steps_open(user, today: dt.date) -> list[WorkItem]:
    return [_step_item(e) for e in selectors.next_steps_open(user)[:LIMIT]]


def _spotted_open(user, today: dt.date) -> list[WorkItem]:
    return [_spotted_item(s) for s in selectors.spotted_followups_open(user)[:LIMIT]]


def _steps_unreminded(today: dt.date):
    # The digest goes to whoever logged the contact: the person who agreed the step.
    return ContactLogEntry.objects.filter(
        next_step_on__lte=reminder_window_end(today), next_step_done_on__isnull=True,
        reminded_at__isnull=True, staff__isnull=False, staff__is_active=True)


def _spotted_unreminded(today: dt.date):
    return SpottedOpening.objects.filter(
        due_on__lte=reminder_window_end(today), contacted_on__isnull=True,
        reminded_at__isnull=True, consultant__isnull=False, consultant__is_active=True)


def _steps_due(today: dt.date) -> list[int]:
    return list(_steps_unreminded(today).values_list("staff_id", flat=True).distinct()
                .order_by("staff_id"))


def _spotted_due(today: dt.date) -> list[int]:
    return list(_spotted_unreminded(today).values_list("consultant_id", flat=True).distinct()
                .order_by("consultant_id"))


def _claim_steps(consultant_id: int, today: dt.date) -> list[WorkItem]:
    claimed = list(_steps_unreminded(today).filter(staff_id=consultant_id)
                   .select_for_update(skip_locked=True, of=("self",))
                   .select_related("company").order_by("next_step_on", "pk"))
    ContactLogEntry.objects.filter(pk__in=[e.pk for e in claimed]).update(
        reminded_at=timezone.now())
    return [_step_item(e) for e in claimed]


def _claim_spotted(consultant_id: int, today: dt.date) -> list[WorkItem]:
    claimed = list(_spotted_unreminded(today).filter(consultant_id=consultant_id)
                   .select_for_update(skip_locked=True, of=("self",))
                   .select_related("opening__company").order_by("due_on", "pk"))
    SpottedOpening.objects.filter(pk__in=[s.pk for s in claimed]).update(
        reminded_at=timezone.now())
    return [_spotted_item(s) for s in claimed]


register(WorkSource(key="spotted", label=gettext_lazy("Spottede job: kontakt virksomheden"),
                    open_items=_spotted_open, consultants_due=_spotted_due,
                    claim=_claim_spotted, order=10))
register(WorkSource(key="next_steps", label=gettext_lazy("Aftalte næste skridt med virksomheder"),
                    open_items=_steps_open, consultants_due=_steps_due, claim=_claim_steps,
                    order=20))
