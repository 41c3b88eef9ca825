"""Celery tasks of the relations app: thin, taking ids, safe to run twice."""

from smtplib import SMTPException

from celery import shared_task

from relations import services

TRANSIENT_MAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError)


@shared_task(autoretry_for=TRANSIENT_MAIL_ERRORS, max_retries=5, retry_backoff=True,
             acks_late=True)
def invitation_send_task(invitation_id: int) -> None:
    services.invitation_send(invitation_id=invitation_id)


@shared_task
def invitations_sweep() -> None:
    """Queue again the invitations a lost broker or a killed worker left unsent."""
    for invitation_id in services.invitations_due():
        invitation_send_task.delay(invitation_id)
