"""Citizens who tell their story at an event: only with the consent to do so in force, shown
to staff only, logged as reads, and part of the citizen's export and erasure."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from citizens.choices import AccessAction, ConsentKind
from citizens.models import AccessLog
from citizens.services import citizen_restrict, consent_withdraw
from relations import personal_data, services
from relations.models import EventStory
from relations.selectors import stories_visible_to
from tests.citizens.factories import EnrolmentFactory
from tests.query_budget import assert_query_budget
from tests.relations.factories import EventFactory, cph

# The event (conftest) is on Thursday 5 October 2017, 8–10; today is 2 October.
NOW = dt.datetime(2017, 10, 2, 12, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


def _citizen(programme, name, consent_on=None, withdrawn_on=None):
    citizen = EnrolmentFactory(programme=programme, citizen__name=name).citizen
    if consent_on:
        citizen.consents.create(kind=ConsentKind.EVENT_STORY, given_on=consent_on,
                                withdrawn_on=withdrawn_on)
    return citizen


@pytest.fixture
def sara(programme):
    """Sara has consented to tell her story at events since 1 September 2017."""
    return _citizen(programme, "Sara Fortæller", consent_on=dt.date(2017, 9, 1))


@time_machine.travel(NOW, tick=False)
def test_only_a_consent_to_tell_the_story_at_events_in_force_will_do(event, alice, programme,
                                                                   sara):
    published = _citizen(programme, "Kun Casebeskrivelse")
    published.consents.create(kind=ConsentKind.CASE_STORY, given_on=dt.date(2017, 9, 1))
    withdrawn = _citizen(programme, "Trak Tilbage", consent_on=dt.date(2017, 9, 1),
                         withdrawn_on=dt.date(2017, 10, 4))
    for citizen in (published, withdrawn):
        with pytest.raises(ValidationError) as caught:
            services.event_story_add(actor=alice, event=event, citizen=citizen)
        assert "ikke et gældende samtykke til at fortælle sin historie ved arrangementer" in (
            caught.value.message_dict["citizen"][0])
    story = services.event_story_add(actor=alice, event=event, citizen=sara, note="Om lageret")
    assert list(EventStory.objects.values_list("citizen__name", "note")) == [
        ("Sara Fortæller", "Om lageret")]
    with pytest.raises(ValidationError, match="fortæller allerede"):
        services.event_story_add(actor=alice, event=event, citizen=sara)
    services.event_story_remove(actor=alice, story=story)
    assert not EventStory.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_page_offers_consenting_citizens_and_answers_the_rest_in_danish(
        client, event, alice, programme, sara):
    other = _citizen(programme, "Uden Samtykke")
    client.force_login(alice)
    url = reverse("relations:event-stories", args=[event.pk])
    page = client.get(url).content.decode()
    assert "Sara Fortæller" in page
    assert "Uden Samtykke" not in page
    # A stale page or a forged post: the service's message at the field, nothing saved.
    response = client.post(url, {"citizen": other.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["citizen"] == [
        "Borgeren har ikke et gældende samtykke til at fortælle sin historie ved "
        "arrangementer (den 05.10.2017). Registrér samtykket på borgerens side først."]
    assert not EventStory.objects.exists()
    assert client.post(url, {"citizen": sara.pk, "note": "Om lageret"}).status_code == 302
    story = EventStory.objects.get()
    assert client.get(url).context["offered"] == []
    remove = reverse("relations:event-story-remove", args=[event.pk, story.pk])
    assert client.post(remove).status_code == 302
    assert not EventStory.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_event_page_shows_the_story_to_staff_and_logs_the_read(client, event, alice, carol,
                                                                  programme, sara):
    services.event_story_add(actor=alice, event=event, citizen=sara, note="Om lageret")
    client.force_login(alice)
    page = client.get(reverse("relations:event-detail", args=[event.pk])).content.decode()
    assert "Sara Fortæller" in page
    assert "Om lageret" in page
    assert AccessLog.objects.filter(citizen=sara, actor=alice,
                                    action=AccessAction.LIST).count() == 1
    # A company contact reaches neither the event nor its letter.
    client.force_login(carol)
    assert client.get(reverse("relations:event-detail", args=[event.pk])).status_code == 403
    assert client.get(reverse("relations:event-stories", args=[event.pk])).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_story_is_in_the_export_and_gone_after_the_erasure(event, alice, sara):
    story = services.event_story_add(actor=alice, event=event, citizen=sara, note="Om lageret")
    exported = personal_data.citizen_export(sara)["event_stories"]
    assert exported["records"] == [{
        "Arrangement": "Morgenmøde i Task Forcen", "Starter": "05.10.2017 08:00",
        "Sted": "Jobcenter Randers, Laksetorvet", "Bemærkning": "Om lageret"}]
    assert LogEntry.objects.get_for_object(story).exists()
    assert personal_data.citizen_erase(sara, actor=alice) >= 2
    assert not EventStory.objects.exists()
    assert not LogEntry.objects.filter(
        content_type__model="eventstory", object_pk=str(story.pk)).exists()
    assert personal_data.citizen_erase(sara, actor=alice) == 0


@time_machine.travel(NOW, tick=False)
def test_stories_page_budget(client, event, alice, programme):
    client.force_login(alice)

    def add(count):
        for index in range(count):
            citizen = _citizen(programme, f"Borger {index}", consent_on=dt.date(2017, 9, 1))
            if index % 2:
                services.event_story_add(actor=alice, event=event, citizen=citizen)

    assert_query_budget(client, reverse("relations:event-stories", args=[event.pk]),
                        add_rows=add, budget=12)


@time_machine.travel(NOW, tick=False)
def test_a_restricted_storyteller_is_not_sorted_by_the_hidden_name(event, alice, bob,
                                                                   programme):
    """Issue 16: the stories are ordered by the citizen's name, a restricted citizen's among
    the restricted ones (in the order of the row), never at the hidden name's place."""
    names = ["Zita Østergaard", "Dorte Dam", "Bent Bak", "Aase Abildgaard"]
    for name in names:
        citizen = _citizen(programme, name, consent_on=dt.date(2017, 9, 1))
        services.event_story_add(actor=alice, event=event, citizen=citizen)
    for story in EventStory.objects.filter(citizen__name__in=["Zita Østergaard",
                                                              "Aase Abildgaard"]):
        citizen_restrict(citizen=story.citizen, actor=bob, reason="Bestrider oplysningerne")
    stories = list(stories_visible_to(alice, event))
    assert [story.citizen.name for story in stories] == [
        "Bent Bak", "Dorte Dam", "Zita Østergaard", "Aase Abildgaard"]


# --- Withdrawing the consent (issue 15) ---------------------------------------------------------

@pytest.fixture
def sara_tells(event, alice, programme, sara):
    """Sara tells her story at a past event (28 September), at the conftest's coming one
    (5 October) and at a later one (20 October); Ole tells his at the coming one too."""
    past = EventFactory(programme=programme, title="Dialogforum", starts_at=cph(2017, 9, 28),
                        ends_at=cph(2017, 9, 28, 10))
    later = EventFactory(programme=programme, title="Virksomhedsnetværk",
                         starts_at=cph(2017, 10, 20), ends_at=cph(2017, 10, 20, 10))
    ole = _citizen(programme, "Ole Fortæller", consent_on=dt.date(2017, 9, 1))
    with time_machine.travel(dt.datetime(2017, 9, 27, 12, tzinfo=dt.UTC), tick=False):
        services.event_story_add(actor=alice, event=past, citizen=sara)
    for teller, at in ((sara, event), (sara, later), (ole, event)):
        services.event_story_add(actor=alice, event=at, citizen=teller)
    return {"past": past, "coming": event, "later": later, "ole": ole}


def _told(citizen) -> list[str]:
    return sorted(EventStory.objects.filter(citizen=citizen).values_list("event__title",
                                                                         flat=True))


@time_machine.travel(NOW, tick=False)
def test_withdrawing_the_consent_removes_the_stories_at_coming_events(alice, sara, sara_tells):
    consent = sara.consents.get(kind=ConsentKind.EVENT_STORY)
    withdrawal = consent_withdraw(consent=consent, withdrawn_on=dt.date(2017, 10, 2),
                                  actor=alice)
    assert withdrawal.consequences == [
        "2 fortællinger ved kommende arrangementer er fjernet."]
    # The past event keeps its story (what happened while the consent was in force).
    assert _told(sara) == ["Dialogforum"]
    assert _told(sara_tells["ole"]) == ["Morgenmøde i Task Forcen"]
    assert AccessLog.objects.filter(
        citizen=sara, actor=alice, action=AccessAction.CHANGE,
        purpose="Fortællinger ved kommende arrangementer fjernet: samtykke trukket tilbage",
    ).count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_withdrawal_dated_ahead_keeps_the_stories_before_that_day(alice, sara, sara_tells):
    consent = sara.consents.get(kind=ConsentKind.EVENT_STORY)
    withdrawal = consent_withdraw(consent=consent, withdrawn_on=dt.date(2017, 10, 10),
                                  actor=alice)
    assert withdrawal.consequences == ["1 fortælling ved et kommende arrangement er fjernet."]
    assert _told(sara) == ["Dialogforum", "Morgenmøde i Task Forcen"]


@time_machine.travel(NOW, tick=False)
def test_withdrawing_another_consent_leaves_the_stories(alice, sara, sara_tells):
    consent = sara.consents.create(kind=ConsentKind.CASE_STORY, given_on=dt.date(2017, 9, 1))
    withdrawal = consent_withdraw(consent=consent, withdrawn_on=dt.date(2017, 10, 2),
                                  actor=alice)
    assert withdrawal.consequences == []
    assert _told(sara) == ["Dialogforum", "Morgenmøde i Task Forcen", "Virksomhedsnetværk"]


@time_machine.travel(NOW, tick=False)
def test_the_consultant_is_told_how_many_stories_went_without_the_name(client, alice, sara,
                                                                      sara_tells):
    consent = sara.consents.get(kind=ConsentKind.EVENT_STORY)
    client.force_login(alice)
    response = client.post(reverse("citizens:consent-withdraw", args=[sara.pk, consent.pk]),
                           {"withdrawn_on": "2017-10-02"}, follow=True)
    assert response.status_code == 200
    flashed = [str(message) for message in response.context["messages"]]
    assert flashed == ["Samtykket er trukket tilbage. 2 fortællinger ved kommende "
                       "arrangementer er fjernet."]
    assert _told(sara) == ["Dialogforum"]
    # The event page no longer lists her at the coming event.
    page = client.get(reverse("relations:event-detail", args=[sara_tells["coming"].pk]))
    assert "Sara Fortæller" not in page.content.decode()
    assert "Ole Fortæller" in page.content.decode()
