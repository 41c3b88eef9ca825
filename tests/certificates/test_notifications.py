import datetime as dt
import threading

import pytest
import time_machine
from django.db import connections

from certificates.models import Certificate
from certificates.services import (
    certificate_expiry_reminders_send,
    certificate_issue_email_send,
    certificate_pdf_render,
    certificate_revoke,
)
from certificates.tasks import certificate_expiry_reminders_send_task
from tests.certificates.factories import at, certificate


@pytest.fixture
def issued(programme, alice, bob, private_media):
    return certificate(programme=programme, leader=bob, consultant=alice,
                       issued_at=at(2017, 9, 1))


@pytest.mark.django_db
def test_no_issue_email_before_the_pdf_exists(issued, mailoutbox):
    assert certificate_issue_email_send(certificate_id=issued.pk) is False
    assert mailoutbox == []
    certificate_pdf_render(certificate_id=issued.pk)
    assert certificate_issue_email_send(certificate_id=issued.pk) is True
    assert certificate_issue_email_send(certificate_id=issued.pk) is False
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_failed_send_leaves_the_email_to_be_sent_later(issued, mailoutbox, monkeypatch):
    certificate_pdf_render(certificate_id=issued.pk)

    def broken(self, *args, **kwargs):
        raise OSError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    assert certificate_issue_email_send(certificate_id=issued.pk) is False
    issued.refresh_from_db()
    assert issued.issue_email_sent_at is None
    # Recorded with its reason and a back-off, for the documents sweep to try again.
    assert issued.issue_email_attempts == 1
    assert issued.issue_email_error == "OSError: SMTP server down"
    assert issued.issue_email_next_attempt_at is not None
    monkeypatch.undo()
    assert certificate_issue_email_send(certificate_id=issued.pk) is True


@pytest.mark.django_db
def test_the_issue_email_is_in_english_for_an_english_company(issued, mailoutbox):
    issued.company.language = "en"
    issued.company.save()
    certificate_pdf_render(certificate_id=issued.pk)
    certificate_issue_email_send(certificate_id=issued.pk)
    assert mailoutbox[0].subject == "Your CSR certificate CSR-2017-0001"


@pytest.mark.django_db
def test_the_expiry_reminder_is_sent_once_within_the_window(issued, mailoutbox, settings):
    settings.CSR_CERTIFICATE_REMINDER_DAYS = 30
    assert certificate_expiry_reminders_send(today=dt.date(2018, 7, 31)) == 0  # 31 days before
    assert certificate_expiry_reminders_send(today=dt.date(2018, 8, 1)) == 1
    assert certificate_expiry_reminders_send(today=dt.date(2018, 8, 2)) == 0
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Jeres CSR-certifikat CSR-2017-0001 udløber 31. august 2018"
    assert "er gyldigt til og med 31. august 2018" in message.body
    assert message.to == [issued.company.contacts.get(is_primary=True).email]


@pytest.mark.django_db
def test_no_reminder_for_revoked_expired_or_renewed_certificates(issued, mailoutbox, bob):
    certificate_revoke(certificate=issued, actor=bob, reason="Konkurs")
    assert certificate_expiry_reminders_send(today=dt.date(2018, 8, 20)) == 0
    assert certificate_expiry_reminders_send(today=dt.date(2018, 9, 20)) == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_beat_task_runs_the_sweep(issued, mailoutbox):
    with time_machine.travel(at(2018, 8, 15), tick=False):
        certificate_expiry_reminders_send_task.delay()
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_one_reminder(programme, alice, bob, mailoutbox):
    cert = certificate(programme=programme, leader=bob, consultant=alice,
                       issued_at=at(2017, 9, 1))
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(certificate_expiry_reminders_send(today=dt.date(2018, 8, 15)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [0, 1]
    assert len(mailoutbox) == 1
    assert Certificate.objects.get(pk=cert.pk).reminder_sent_at is not None
