"""The relationship demo (issue 15): an ended membership, representatives chosen among the
companies' contacts, a citizen's story at the breakfast meeting with her consent, and the
mentor criterion flagged in the catalogue."""

import datetime as dt

from django.core.management import call_command

from citizens.choices import ConsentKind
from companies.choices import EvidenceSource
from companies.models import CsrCriterion
from relations.models import EventStory, NetworkMembership


def test_the_demo_shows_the_relationship_finish(db):
    call_command("seed_demo", verbosity=0)
    ended = NetworkMembership.objects.filter(left_on__isnull=False).select_related("network")
    assert [(m.network.name, m.left_on) for m in ended] == [
        ("Dialogforum Randers", dt.date(2018, 3, 31))]
    represented = NetworkMembership.objects.filter(representative__isnull=False)
    assert represented.count() >= 20
    assert all(m.representative.company_id == m.company_id
               for m in represented.select_related("representative"))
    story = EventStory.objects.select_related("event", "citizen").get()
    assert story.event.title == "Morgenmøde: Spot et job"
    assert story.citizen.consents.filter(kind=ConsentKind.EVENT_STORY).exists()
    assert CsrCriterion.objects.get(evidence_source=EvidenceSource.MENTORS).title_da == (
        "Virksomheden har uddannede medarbejdermentorer")
    # A re-run adds nothing.
    call_command("seed_demo", verbosity=0)
    assert EventStory.objects.count() == 1
    assert NetworkMembership.objects.filter(left_on__isnull=False).count() == 1
