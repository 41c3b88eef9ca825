"""Extension points of a placement's life, for the follow-up schedule (followups app).

All three are sent from the services in ``placements.services`` *inside* their transaction, so a
receiver's writes (e.g. creating the follow-up visits) commit or roll back with the placement.
Receivers must not queue Celery tasks directly; use ``transaction.on_commit``.

- ``placement_started(sender=Placement, placement=...)``: a placement was created.
- ``placement_start_changed(sender=Placement, placement=..., previous_start_date=...)``:
  the start date was corrected.
- ``placement_ended(sender=Placement, placement=...)``: the placement ended with an outcome.
"""

import django.dispatch

placement_started = django.dispatch.Signal()
placement_start_changed = django.dispatch.Signal()
placement_ended = django.dispatch.Signal()
