from celery import shared_task

from csrprogram import services


@shared_task
def worker_heartbeat_record_task() -> None:
    """Records that beat, broker and worker work end to end."""
    services.worker_heartbeat_record()


@shared_task
def report_job_run_task(job_id: int) -> None:
    """Render a funder report; a missing or already claimed job is skipped."""
    services.report_job_run(job_id=job_id)


@shared_task
def report_jobs_sweep() -> None:
    """Beat: queue again the funder reports that are due (see settings)."""
    services.report_jobs_sweep()


@shared_task
def dashboards_keep_task() -> int:
    """Beat: compute and keep the running programmes' dashboards (``dashboards_keep``)."""
    from django.utils import timezone

    from csrprogram.dashboard import dashboards_keep

    return dashboards_keep(as_of=timezone.localdate())
