"""Thin tasks: they take ids and call services. Both are idempotent."""

from celery import shared_task

from certificates import services
from csrprogram.celery import DurableTask


@shared_task(base=DurableTask, autoretry_for=(OSError,), max_retries=5)
def certificate_pdf_render_task(certificate_id: int) -> None:
    """Render the PDF if its content changed, then send the issue email once (with the PDF)."""
    services.certificate_pdf_render(certificate_id=certificate_id)
    services.certificate_issue_email_send(certificate_id=certificate_id)


@shared_task(base=DurableTask)
def certificate_expiry_reminders_send_task() -> int:
    return services.certificate_expiry_reminders_send()
