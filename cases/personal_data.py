"""The citizen's stories and drafts as personal data (export and erasure).

Discovered in every installed app by the citizen's-rights code, which calls:

- ``citizen_export(citizen) -> dict``: JSON-serialisable, every story (draft or published),
  its findings and its workflow history, with who and when;
- ``citizen_erase(citizen, *, actor) -> int``: deletes the citizen's stories (their findings,
  events and places in collections go with them), the stored collection PDFs that held them
  (rendered again without them) and the change-history entries of those rows; returns the
  number of rows affected.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from cases.models import CaseCollection, CaseStory, StoryEvent, StoryFinding


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def citizen_export(citizen) -> dict:
    """The citizen's stories and drafts (JSON-serialisable)."""
    stories = (CaseStory.objects.filter(citizen=citizen)
               .select_related("placement__company", "programme")
               .prefetch_related("findings", "events__actor").order_by("created_at", "pk"))
    return {"case_stories": [{
        "id": story.pk,
        "programme": story.programme.name,
        "company": story.placement.company.name,
        "status": story.status,
        **story.texts(),
        "name_company": story.name_company,
        "created_at": _iso(story.created_at),
        "updated_at": _iso(story.updated_at),
        "submitted_at": _iso(story.submitted_at),
        "published_at": _iso(story.published_at),
        "withdrawn_at": _iso(story.withdrawn_at),
        "findings": [{"kind": f.kind, "field": f.field, "text": f.text, "line": f.line,
                      "column": f.column, "status": f.status, "reason": f.reason}
                     for f in story.findings.all()],
        "history": [{"event": e.kind, "at": _iso(e.at), "by": str(e.actor or ""),
                     "comment": e.comment} for e in story.events.all()],
    } for story in stories]}


@transaction.atomic
def citizen_erase(citizen, *, actor) -> int:
    """Remove the citizen's stories and drafts and the files generated from them."""
    from auditlog.models import LogEntry

    from cases.services import collection_render_request

    story_ids = list(CaseStory.objects.filter(citizen=citizen).values_list("pk", flat=True))
    if not story_ids:
        return 0
    collections = list(CaseCollection.objects.filter(items__story_id__in=story_ids).distinct())
    finding_ids = list(StoryFinding.objects.filter(story_id__in=story_ids)
                       .values_list("pk", flat=True))
    event_ids = list(StoryEvent.objects.filter(story_id__in=story_ids)
                     .values_list("pk", flat=True))
    affected, _per_model = CaseStory.objects.filter(pk__in=story_ids).delete()
    # After the delete: the history entries of the deletion itself hold the texts too.
    for model, ids in ((CaseStory, story_ids), (StoryFinding, finding_ids),
                       (StoryEvent, event_ids)):
        content_type = ContentType.objects.get_for_model(model)
        affected += LogEntry.objects.filter(
            content_type=content_type, object_pk__in=[str(pk) for pk in ids]).delete()[0]
    for collection in collections:
        if collection.pdf_file:
            collection.pdf_file.storage.delete(collection.pdf_file.name)
            CaseCollection.objects.filter(pk=collection.pk).update(pdf_file="")
            affected += 1
        collection_render_request(collection=collection)
    return affected
