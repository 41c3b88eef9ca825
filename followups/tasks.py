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


def _batches(ids: list[int]) -> list[list[int]]:
    size = services.DIGEST_BATCH
    return [ids[start:start + size] for start in range(0, len(ids), size)]


@shared_task
def followups_sweep() -> None:
    """Close candidates at 3 months and queue the reminder and escalation digests, one task
    per ``DIGEST_BATCH`` consultants (programmes)."""
    today = timezone.localdate()
    services.placements_close_due(today=today)
    for consultant_ids in _batches(services.consultants_due_for_reminder(today)):
        reminder_digests_send_task.delay_on_commit(consultant_ids)
    for programme_ids in _batches(services.programmes_due_for_escalation(today)):
        escalations_send_task.delay_on_commit(programme_ids)


@shared_task(autoretry_for=TRANSIENT_MAIL_ERRORS)
def reminder_digests_send_task(consultant_ids: list[int]) -> None:
    services.reminder_digests_send(consultant_ids=consultant_ids)


@shared_task(autoretry_for=TRANSIENT_MAIL_ERRORS)
def escalations_send_task(programme_ids: list[int]) -> None:
    services.escalations_send(programme_ids=programme_ids)


# One consultant's (programme's) digest: messages queued before the batched tasks existed.
@shared_task(autoretry_for=TRANSIENT_MAIL_ERRORS)
def reminder_digest_send_task(consultant_id: int) -> None:
    services.reminder_digest_send(consultant_id=consultant_id)


@shared_task(autoretry_for=TRANSIENT_MAIL_ERRORS)
def escalation_send_task(programme_id: int) -> None:
    services.escalation_send(programme_id=programme_id)
