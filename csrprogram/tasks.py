from celery import shared_task

from csrprogram import services


@shared_task
def heartbeat() -> None:
    """Records that beat, broker and worker work end to end."""
    services.worker_heartbeat_record()
