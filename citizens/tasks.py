"""Celery tasks of the citizens app: thin, acting as ``SYSTEM`` through the services."""

from celery import shared_task

from citizens import services


@shared_task(acks_late=True)
def citizens_retention_sweep() -> dict:
    """The retention sweep (beat, ``CSR_RETENTION_SWEEP_SECONDS``): anonymise one bounded
    batch of an approved report, or else prepare the next dry-run report for a team leader.
    Idempotent: see ``retention_batch_anonymise`` and ``retention_review_prepare``."""
    anonymised = services.retention_batch_anonymise()
    prepared = None if anonymised else services.retention_review_prepare()
    return {"anonymised": anonymised, "prepared": prepared.pk if prepared else None}
