"""The relations app's part of a citizen's export and erasure (see ``citizens.rights``).

A citizen appears here only as someone who tells their story at a company event
(``EventStory``, with the consent ``ConsentKind.EVENT_STORY``). No figure counts these rows,
so the erasure deletes them, and the change-history entries that recorded them.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from citizens.rights import date_text, field_label
from relations.models import Event, EventStory


def citizen_export(citizen) -> dict:
    """The events where the citizen tells (or told) their story: title, time, place and the
    staff's note."""
    stories = (EventStory.objects.filter(citizen=citizen).select_related("event")
               .order_by("event__starts_at", "pk"))
    return {"event_stories": {"title": _("Fortællinger ved arrangementer"), "records": [{
        field_label(EventStory, "event"): story.event.title,
        field_label(Event, "starts_at"): date_text(story.event.starts_at),
        field_label(Event, "place"): story.event.place,
        field_label(EventStory, "note"): story.note,
    } for story in stories]}}


@transaction.atomic
def citizen_erase(citizen, *, actor) -> int:
    """Delete the citizen's event stories and their change-history entries; returns the
    number of rows removed."""
    from auditlog.models import LogEntry

    story_ids = list(EventStory.objects.filter(citizen=citizen).values_list("pk", flat=True))
    if not story_ids:
        return 0
    affected, _per_model = EventStory.objects.filter(pk__in=story_ids).delete()
    # After the delete: the entries of the deletion itself name the citizen too.
    affected += LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(EventStory),
        object_pk__in=[str(pk) for pk in story_ids]).delete()[0]
    return affected
