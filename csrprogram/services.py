import datetime as dt
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from csrprogram.choices import PercentageBasis, ReportJobStatus, TargetKind
from csrprogram.duework import document_lease_until, document_next_attempt, failure_reason
from csrprogram.models import Programme, ReportJob, Target, User, WorkerHeartbeat
from csrprogram.policy import require

logger = logging.getLogger(__name__)


@transaction.atomic
def worker_heartbeat_record() -> WorkerHeartbeat:
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        pk=1, defaults={"last_seen": timezone.now()}
    )
    return heartbeat


@transaction.atomic
def programme_update(*, programme: Programme, actor: User | None, data: dict) -> Programme:
    """Change a programme's settings. PermissionDenied unless ``actor`` may change it."""
    require(actor, "csrprogram.change_programme", programme)
    for field, value in data.items():
        setattr(programme, field, value)
    programme.full_clean()
    programme.save()
    return programme


# --- Targets --------------------------------------------------------------------------------------

TARGET_FIELDS = ("metric_key", "kind", "value", "reference", "basis", "deadline", "note")


@transaction.atomic
def target_create(
    *, programme: Programme, actor: User | None, metric_key: str, value: Decimal | int,
    deadline: dt.date, kind: str = TargetKind.ABSOLUTE, reference: Target | None = None,
    basis: str = PercentageBasis.TARGET, note: str = "",
) -> Target:
    """Add a target to a programme. PermissionDenied unless ``actor`` may change targets."""
    require(actor, "csrprogram.change_target", programme)
    target = Target(programme=programme, metric_key=metric_key, kind=kind,
                    value=Decimal(value), reference=reference, basis=basis,
                    deadline=deadline, note=note)
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def target_update(*, target: Target, actor: User | None, data: dict) -> Target:
    """Change a target (``TARGET_FIELDS`` only; ValueError for another name)."""
    require(actor, "csrprogram.change_target", target)
    for name, value in data.items():
        if name not in TARGET_FIELDS:
            raise ValueError(f"{name} cannot be changed on a target")
        setattr(target, name, value)
    if target.kind == TargetKind.ABSOLUTE:
        target.reference = None
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def target_delete(*, target: Target, actor: User | None) -> None:
    """Delete a target no percentage target is computed from (ValidationError otherwise)."""
    require(actor, "csrprogram.change_target", target)
    if target.dependants.exists():
        raise ValidationError(_(
            "Måltallet kan ikke slettes, fordi et procentmål regnes af det. Ret eller slet "
            "procentmålet først."
        ))
    target.delete()


# --- Funder report --------------------------------------------------------------------------------


@transaction.atomic
def report_job_request(*, programme: Programme, actor: User, as_of: dt.date,
                       language: str) -> ReportJob:
    """Record a report request and queue its generation once the request commits."""
    require(actor, "csrprogram.add_reportjob", programme)
    from csrprogram.tasks import report_job_run_task

    job = ReportJob(programme=programme, requested_by=actor, as_of=as_of, language=language,
                    next_attempt_at=document_lease_until(timezone.now()))
    job.full_clean()
    job.save()
    report_job_run_task.delay_on_commit(job.pk)
    return job


# Longer than CELERY_TASK_TIME_LIMIT, so a run still in progress is never taken over.
REPORT_STALE_SECONDS = 15 * 60


def _report_job_progress(job_id: int, progress: int) -> None:
    ReportJob.objects.filter(pk=job_id, status=ReportJobStatus.RUNNING).update(progress=progress)


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Generate a queued report. Claims the job first, so a re-delivered task does nothing.

    Progress is saved outside a transaction on purpose: the job page reads it while the
    PDF is being rendered.
    """
    from csrprogram import dashboard, reports

    now = timezone.now()
    # A job left running by a worker that died (the task is then delivered again) may be
    # taken over once it is older than the task time limit; a live run is never disturbed.
    stale = now - dt.timedelta(seconds=REPORT_STALE_SECONDS)
    claimed = ReportJob.objects.filter(
        Q(status=ReportJobStatus.PENDING)
        | Q(status=ReportJobStatus.RUNNING, started_at__lt=stale),
        pk=job_id,
    ).update(status=ReportJobStatus.RUNNING, progress=10, started_at=now)
    if not claimed:
        return None  # already taken, done, or deleted
    job = ReportJob.objects.select_related("programme").get(pk=job_id)
    try:
        with translation.override(job.language):
            board = dashboard.programme_dashboard(programme=job.programme, as_of=job.as_of)
        _report_job_progress(job_id, 50)
        filename, content = reports.funder_pdf(board, language=job.language)
        _report_job_progress(job_id, 90)
        with transaction.atomic():
            job.file.save(filename, ContentFile(content), save=False)
            job.status = ReportJobStatus.DONE
            job.progress = 100
            job.finished_at = timezone.now()
            job.save(update_fields=["file", "status", "progress", "finished_at"])
    except Exception as error:  # a failed render must end the run, not leave it running
        logger.exception("Report job %s failed", job_id)
        _report_job_failure_record(job_id=job_id, error=error)
        job.refresh_from_db()
    return job


def _report_job_failure_record(*, job_id: int, error: BaseException) -> None:
    """Back to the queue after a back-off, or failed for good after the last attempt."""
    now = timezone.now()
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        failures = job.attempts + 1
        next_attempt = document_next_attempt(failures=failures, now=now)
        job.attempts = failures
        job.error = failure_reason(error)
        job.next_attempt_at = next_attempt
        job.progress = 0
        job.status = ReportJobStatus.PENDING if next_attempt else ReportJobStatus.FAILED
        job.finished_at = None if next_attempt else now
        job.save(update_fields=["attempts", "error", "next_attempt_at", "progress", "status",
                                "finished_at"])


# Jobs queued by one sweep at most; the rest wait for the next one.
REPORT_SWEEP_BATCH = 50


def report_jobs_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again the report jobs that are due; returns how many.

    Due: a pending job whose lease or back-off has run out (its task was lost with the
    broker, or its last attempt failed), or a job left running by a dead worker for longer
    than the task time limit. Claimed under row locks, so two sweeps never queue one twice.
    """
    from csrprogram.tasks import report_job_run_task

    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=REPORT_STALE_SECONDS)
    with transaction.atomic():
        ids = list(ReportJob.objects.select_for_update(skip_locked=True).filter(
            Q(status=ReportJobStatus.PENDING, next_attempt_at__isnull=True)
            | Q(status=ReportJobStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=ReportJobStatus.RUNNING, started_at__lt=stale),
        ).order_by("pk").values_list("pk", flat=True)[:REPORT_SWEEP_BATCH])
        ReportJob.objects.filter(pk__in=ids).update(next_attempt_at=document_lease_until(now))
        for job_id in ids:
            report_job_run_task.delay_on_commit(job_id)
    return len(ids)
