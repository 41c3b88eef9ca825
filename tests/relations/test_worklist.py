"""Next steps and spotted-job follow-ups on the consultant's work list and in the digest."""

import datetime as dt

import time_machine
from django.core import mail
from django.urls import reverse

from followups import services as followups
from relations import services
from relations.choices import ContactKind
from relations.models import ContactLogEntry, SpottedOpening
from tests.relations.test_services import _row

NOW = dt.datetime(2017, 10, 5, 12, tzinfo=dt.UTC)


def _step(alice, company, *, on):
    return services.contact_log_record(actor=alice, company=company, data={
        "kind": ContactKind.PHONE, "occurred_on": dt.date(2017, 10, 2), "summary": "Samtale",
        "next_step": "Send kandidatforslag", "next_step_on": on})


@time_machine.travel(NOW, tick=False)
def test_next_steps_and_spotted_jobs_are_on_the_work_list(client, event, alice, company_a):
    services.responsible_consultant_set(actor=alice, company=company_a, consultant=alice,
                                        started_on=dt.date(2017, 9, 1))
    _step(alice, company_a, on=dt.date(2017, 10, 3))
    services.spotted_openings_create(actor=alice, event=event, rows=[_row(company_a)])
    client.force_login(alice)
    page = client.get(reverse("followups:visit-list")).content.decode()
    assert "Send kandidatforslag" in page
    assert "Kontakt virksomheden om spottet job: Lagermedhjælper" in page
    assert "Overskredet" in page  # the step was due on 3 October


@time_machine.travel(NOW, tick=False)
def test_a_done_step_leaves_the_work_list(client, alice, company_a):
    entry = _step(alice, company_a, on=dt.date(2017, 10, 9))
    client.force_login(alice)
    response = client.post(reverse("relations:next-step-done", args=[entry.pk]))
    assert response.status_code == 302
    assert ContactLogEntry.objects.get().next_step_done_on == dt.date(2017, 10, 5)
    assert "Send kandidatforslag" not in client.get(
        reverse("followups:visit-list")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_reminder_digest_carries_them_once(event, alice, bob, company_a):
    services.responsible_consultant_set(actor=bob, company=company_a, consultant=alice,
                                        started_on=dt.date(2017, 9, 1))
    _step(alice, company_a, on=dt.date(2017, 10, 9))
    _step(alice, company_a, on=dt.date(2017, 12, 1))  # outside the reminder window
    services.spotted_openings_create(actor=alice, event=event, rows=[_row(company_a)])
    today = dt.date(2017, 10, 5)
    assert alice.pk in followups.consultants_due_for_reminder(today)
    assert followups.reminder_digest_send(consultant_id=alice.pk, today=today) == 2
    [message] = mail.outbox
    assert "Send kandidatforslag" in message.body
    assert "Kontakt virksomheden om spottet job: Lagermedhjælper" in message.body
    assert SpottedOpening.objects.get().reminded_at is not None
    # Claimed: a second sweep sends nothing.
    assert alice.pk not in followups.consultants_due_for_reminder(today)
    assert followups.reminder_digest_send(consultant_id=alice.pk, today=today) == 0
    assert len(mail.outbox) == 1
