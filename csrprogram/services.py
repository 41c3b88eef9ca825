from django.db import transaction
from django.utils import timezone

from csrprogram.models import Programme, WorkerHeartbeat


@transaction.atomic
def worker_heartbeat_record() -> WorkerHeartbeat:
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        pk=1, defaults={"last_seen": timezone.now()}
    )
    return heartbeat


@transaction.atomic
def programme_update(*, programme: Programme, data: dict) -> Programme:
    for field, value in data.items():
        setattr(programme, field, value)
    programme.full_clean()
    programme.save()
    return programme
