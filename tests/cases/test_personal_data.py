"""The data-protection contract: the citizen's stories in the export, gone after erasure."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from cases import personal_data, services
from cases.models import CaseCollection, CaseStory
from tests.cases.conftest import STORY

pytestmark = pytest.mark.django_db


def test_export_holds_stories_and_drafts(story, published, citizen):
    exported = personal_data.citizen_export(citizen)
    json.dumps(exported)
    assert [s["title"] for s in exported["case_stories"]] == [STORY["title"]]
    assert exported["case_stories"][0]["history"][0]["event"] == "created"


def test_erase_removes_stories_files_and_history(published, citizen, programme, bob,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        collection = services.collection_create(
            programme=programme, actor=bob, entries=[("story", published.pk)], title="S",
            foreword="", language="da", public_page=False)
    collection.refresh_from_db()
    old_file = collection.pdf_file.name
    assert old_file
    storage = collection.pdf_file.storage
    affected = personal_data.citizen_erase(citizen, actor=bob)
    assert affected > 3
    assert not CaseStory.objects.exists()
    assert not storage.exists(old_file)
    content_type = ContentType.objects.get_for_model(CaseStory)
    assert not LogEntry.objects.filter(content_type=content_type,
                                       object_pk=str(published.pk)).exists()
    assert CaseCollection.objects.get().items.count() == 0
    assert personal_data.citizen_erase(citizen, actor=bob) == 0
