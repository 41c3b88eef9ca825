"""Thin tasks: they take ids and call services. Both are idempotent.

A failed rendering is recorded on the collection's row and queued again by the sweep after
its back-off (csrprogram/duework.py), never by a Celery countdown.
"""

from celery import shared_task

from cases import services
from csrprogram.celery import DurableTask


@shared_task(base=DurableTask)
def collection_render_task(collection_id: int) -> None:
    """Render a case collection's PDF; a missing or already claimed row is skipped."""
    services.collection_render(collection_id=collection_id)


@shared_task(base=DurableTask)
def collections_sweep() -> None:
    """Beat: queue again the collection PDFs that are due (see settings)."""
    services.collections_sweep()
