import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from csrprogram.metrics import registry

pytestmark = pytest.mark.django_db


def test_stories_and_collections_published_are_counted_on_their_day(published, bob, programme):
    today = timezone.localdate()
    stories = registry.get("case_stories_published")
    collections = registry.get("case_collections_published")
    window = {"start": today - dt.timedelta(days=1), "end": today}
    assert stories.daily(programme, **window) == {today: 1}
    assert collections.count(programme, **window) == 0
    collection = services.collection_create(
        programme=programme, actor=bob, entries=[("story", published.pk)], title="S",
        foreword="", language="da", public_page=False)
    services.collection_publish(collection=collection, actor=bob)
    assert collections.count(programme, **window) == 1
    services.story_withdraw(story=published, actor=bob)
    assert stories.count(programme, **window) == 0
    assert stories.description
    assert collections.description
