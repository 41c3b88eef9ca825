"""Thin tasks: they take ids and call services. All are idempotent.

Failures are not retried by Celery (a countdown lives in worker memory and dies with the
broker): the services record them on the row and the documents sweep queues the work again
after its back-off.
"""

from celery import shared_task

from certificates import services
from csrprogram.celery import DurableTask


@shared_task(base=DurableTask)
def certificate_pdf_render_task(certificate_id: int) -> None:
    """Render the PDF if its content changed, then send the issue email once (with the PDF)."""
    services.certificate_pdf_render(certificate_id=certificate_id)
    services.certificate_issue_email_send(certificate_id=certificate_id)


@shared_task(base=DurableTask)
def certificate_issue_email_send_task(certificate_id: int) -> None:
    services.certificate_issue_email_send(certificate_id=certificate_id)


@shared_task(base=DurableTask)
def certificate_documents_sweep() -> None:
    """Beat: queue again the PDFs and issue emails that are due (see settings)."""
    services.certificate_documents_sweep()


@shared_task(base=DurableTask)
def certificate_expiry_reminders_send_task() -> int:
    return services.certificate_expiry_reminders_send()
