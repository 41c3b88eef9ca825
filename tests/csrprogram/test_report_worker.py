"""The funder report through a real Celery worker: queued on commit, generated, stored."""

import datetime as dt

import pytest

from csrprogram import services
from csrprogram.choices import ReportJobStatus
from csrprogram.models import ReportJob
from tests.csrprogram.factories import TargetFactory


@pytest.mark.celery_worker
def test_a_real_worker_generates_the_report_queued_on_commit(celery_worker_process, programme,
                                                               bob):
    # The worker process has only the apps' metrics, so this target shows as unavailable.
    TargetFactory(programme=programme, metric_key="retired_metric", value=5)
    job = services.report_job_request(programme=programme, actor=bob,
                                      as_of=dt.date(2018, 1, 1), language="da")
    done = celery_worker_process(
        lambda: ReportJob.objects.filter(pk=job.pk, status=ReportJobStatus.DONE).first(),
        timeout=60)
    assert done.progress == 100
    with done.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
