from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Opfølgning")

    def ready(self) -> None:
        from followups import receivers, worklist
        from placements.models import Placement
        from placements.signals import (
            placement_ended,
            placement_start_changed,
            placement_started,
        )

        placement_started.connect(receivers.on_placement_started, sender=Placement,
                                  dispatch_uid="followups_schedule")
        placement_start_changed.connect(receivers.on_placement_start_changed, sender=Placement,
                                        dispatch_uid="followups_move")
        placement_ended.connect(receivers.on_placement_ended, sender=Placement,
                                dispatch_uid="followups_cancel")
        worklist.autodiscover()
