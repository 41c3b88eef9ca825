"""The citizens app logs the citizens the home pages' queues show (DESIGN.md §6)."""

from django.utils.translation import gettext_lazy

from citizens.choices import AccessAction
from citizens.services import access_log_record_many
from csrprogram.queues import set_citizens_shown_logger

PURPOSE = gettext_lazy("Visning i arbejdsliste på forsiden")


def _log(*, citizen_ids, actor) -> None:
    access_log_record_many(citizen_ids=citizen_ids, actor=actor, action=AccessAction.LIST,
                           purpose=PURPOSE)


set_citizens_shown_logger(_log)
