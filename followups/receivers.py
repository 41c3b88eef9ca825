"""Keeps the visits in step with the placement. Connected in ``FollowupsConfig.ready``.

The placement services send these signals inside their transaction, so the visits are created,
moved or cancelled atomically with the placement change. Receivers only delegate to services.
"""

from django.utils.translation import gettext as _

from followups import services


def on_placement_started(sender, placement, **kwargs) -> None:
    services.visits_schedule(placement=placement)


def on_placement_start_changed(sender, placement, **kwargs) -> None:
    services.visits_move_with_start(placement=placement)


def on_placement_ended(sender, placement, **kwargs) -> None:
    services.visits_cancel_open(placement=placement, reason=_(services.ENDED_REASON))
