"""Celery tasks of the follow-up schedule: thin, taking ids, safe to run twice.

The beat runs ``followups_sweep`` every few minutes (``CELERY_BEAT_SCHEDULE``); nothing is
scheduled with a countdown. See ``followups.services`` for how the digests are claimed.
"""

from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from followups import services

# Only a mail server that is briefly away is worth a retry; the claim is released on failure.
TRANSIENT_MAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError)


@shared_task
def followups_sweep() -> None:
    """Close candidates at 3 months and queue the reminder and escalation digests."""
    today = timezone.localdate()
    services.placements_close_due(today=today)
    for consultant_id in services.consultants_due_for_reminder(today):
        reminder_digest_send_task.delay_on_commit(consultant_id)
    for programme_id in services.programmes_due_for_escalation(today):
        escalation_send_task.delay_on_commit(programme_id)


@shared_task(autoretry_for=TRANSIENT_MAIL_ERRORS)
def reminder_digest_send_task(consultant_id: int) -> None:
    services.reminder_digest_send(consultant_id=consultant_id)


@shared_task(autoretry_for=TRANSIENT_MAIL_ERRORS)
def escalation_send_task(programme_id: int) -> None:
    services.escalation_send(programme_id=programme_id)
