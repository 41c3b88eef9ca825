import pytest

from csrprogram.models import WorkerHeartbeat
from csrprogram.tasks import worker_heartbeat_record_task


@pytest.mark.celery_worker
def test_a_real_worker_runs_a_queued_task_through_redis(celery_worker_process):
    assert not WorkerHeartbeat.objects.exists()
    worker_heartbeat_record_task.delay()
    seen = celery_worker_process(lambda: WorkerHeartbeat.objects.first())
    assert seen.last_seen is not None


def test_beat_schedule_is_one_dict_with_expiring_entries(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert "heartbeat" in schedule
    for name, entry in schedule.items():
        interval = entry["schedule"]
        seconds = interval if isinstance(interval, int | float) else None
        if seconds is not None:
            assert entry["options"]["expires"] < seconds, name
