"""The story workflow, consent enforcement and withdrawal, false positives, bad input."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.choices import FindingKind, FindingStatus, StoryEventKind, StoryStatus
from cases.models import CaseStory, StoryFinding
from citizens.services import consent_withdraw
from tests.cases.conftest import STORY
from tests.placements.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_a_story_is_checked_on_every_save(story, alice):
    assert not story.findings.exists()
    story = services.story_update(story=story, actor=alice,
                                  result="Jens Peters mentor ringede på 21436587.")
    found = sorted((f.kind, f.text, f.field) for f in story.findings.all())
    assert found == [(FindingKind.NAME, "Jens", "result"), (FindingKind.NAME, "Peters", "result"),
                     (FindingKind.PHONE, "21436587", "result")]
    services.story_update(story=story, actor=alice, result="Ingen navne her.")
    assert not story.findings.exists()


def test_the_workflow_with_who_and_when(story, alice, bob, consent):
    assert story.status == StoryStatus.DRAFT
    services.story_submit(story=story, actor=alice)
    services.story_return(story=story, actor=bob, comment="Skriv mere om opfølgningen.")
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT
    services.story_submit(story=story, actor=alice)
    services.story_publish(story=story, actor=bob)
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED
    assert story.published_by == bob
    assert story.published_on is not None
    events = [(e.kind, e.actor) for e in story.events.all()]
    assert events == [(StoryEventKind.CREATED, alice), (StoryEventKind.SUBMITTED, alice),
                      (StoryEventKind.RETURNED, bob), (StoryEventKind.SUBMITTED, alice),
                      (StoryEventKind.PUBLISHED, bob)]
    assert story.events.get(kind=StoryEventKind.RETURNED).comment == "Skriv mere om opfølgningen."
    services.story_withdraw(story=story, actor=bob, comment="Forældet.")
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN
    assert story.withdrawn_at is not None


def test_only_team_leaders_publish(submitted, alice, consent):
    with pytest.raises(PermissionDenied):
        services.story_publish(story=submitted, actor=alice)


def test_publishing_without_the_citizens_consent_is_refused(submitted, bob):
    with pytest.raises(ValidationError) as error:
        services.story_publish(story=submitted, actor=bob)
    assert "samtykke" in " ".join(error.value.messages)
    submitted.refresh_from_db()
    assert submitted.status == StoryStatus.SUBMITTED


def test_a_withdrawn_consent_unpublishes(published, consent, alice):
    consent_withdraw(consent=consent, withdrawn_on=dt.date(2018, 1, 5), actor=alice)
    published.refresh_from_db()
    assert published.status == StoryStatus.WITHDRAWN
    assert published.events.filter(kind=StoryEventKind.CONSENT_WITHDRAWN).exists()


def test_publishing_with_an_open_finding_is_refused_until_dismissed(story, alice, bob, consent):
    story = services.story_update(story=story, actor=alice, quote="Tak til Alice!")
    services.story_submit(story=story, actor=alice)
    with pytest.raises(ValidationError) as error:
        services.story_publish(story=story, actor=bob)
    assert "åbent fund" in " ".join(error.value.messages)
    finding = story.findings.get()
    with pytest.raises(ValidationError):
        services.finding_dismiss(finding=finding, actor=bob, reason="   ")
    with pytest.raises(PermissionDenied):
        services.finding_dismiss(finding=finding, actor=alice, reason="Et andet navn.")
    services.finding_dismiss(finding=finding, actor=bob,
                             reason="Alice er medarbejdermentoren, ikke fra sagen.")
    services.story_publish(story=story, actor=bob)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.FALSE_POSITIVE
    assert finding.decided_by == bob
    # The reason is kept in the change history.
    entries = LogEntry.objects.get_for_object(finding)
    assert any("Alice er medarbejdermentoren" in str(e.changes) for e in entries)


def test_a_dismissed_finding_stays_dismissed_while_its_text_is_there(story, alice, bob):
    story = services.story_update(story=story, actor=alice, quote="Tak til Alice!")
    services.finding_dismiss(finding=story.findings.get(), actor=bob, reason="Mentoren.")
    story = services.story_update(story=story, actor=alice, quote="Stor tak til Alice!")
    assert story.findings.get().status == FindingStatus.FALSE_POSITIVE
    story = services.story_update(story=story, actor=alice, quote="Tak til Jens!")
    assert [f.status for f in story.findings.all()] == [FindingStatus.OPEN]


def test_the_company_is_named_only_with_its_consent(placement, alice, company_a):
    with pytest.raises(ValidationError) as error:
        services.story_create(placement=placement, actor=alice, **{**STORY,
                                                                    "name_company": True})
    assert "name_company" in error.value.error_dict
    assert not CaseStory.objects.exists()
    services.company_consent_record(company=company_a, given_on=dt.date(2017, 9, 1),
                                    given_by="Direktør", actor=alice)
    story = services.story_create(placement=placement, actor=alice,
                                  **{**STORY, "name_company": True})
    assert story.name_company


def test_a_story_from_another_programmes_placement_is_refused(alice, company_b):
    other = PlacementFactory()  # a programme alice does not work in
    with pytest.raises(PermissionDenied):
        services.story_create(placement=other, actor=alice, **STORY)
    assert not CaseStory.objects.exists()


def test_a_10000_word_story_is_refused_with_nothing_saved(story, alice, placement):
    long = " ".join(["ord"] * 10_000)
    with pytest.raises(ValidationError) as error:
        services.story_update(story=story, actor=alice, situation=long)
    assert "10.041 ord" in error.value.messages[0]
    assert "1.500" in error.value.messages[0]
    story.refresh_from_db()
    assert story.situation == STORY["situation"]
    with pytest.raises(ValidationError):
        services.story_create(placement=placement, actor=alice, **{**STORY, "action": long})
    assert CaseStory.objects.count() == 1


def test_a_published_story_cannot_be_edited(published, alice):
    with pytest.raises(ValidationError):
        services.story_update(story=published, actor=alice, title="Ny")
    assert StoryFinding.objects.count() == 0
