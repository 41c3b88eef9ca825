"""The relations metrics against a hand-counted fixture (frozen on 1 December 2017)."""

import datetime as dt

import pytest
import time_machine

from csrprogram.metrics import Dimension, registry
from tests.csrprogram.factories import ProgrammeFactory
from tests.placements.factories import PlacementFactory
from tests.relations.factories import (
    ContactFactory,
    EventFactory,
    InvitationFactory,
    MembershipFactory,
    MentorCourseFactory,
    NetworkFactory,
    SpottedOpeningFactory,
    TraineeFactory,
    cph,
)

NOW = dt.datetime(2017, 12, 1, 12, tzinfo=dt.UTC)
PERIOD = {"start": dt.date(2017, 6, 19), "end": dt.date(2017, 12, 31)}


@pytest.fixture
def world(programme, alice, bob, company_a, company_b):
    other = ProgrammeFactory()
    e1 = EventFactory(programme=programme, created_by=alice, starts_at=cph(2017, 10, 5, 8),
                      ends_at=cph(2017, 10, 5, 10))
    e2 = EventFactory(programme=programme, created_by=alice, starts_at=cph(2017, 11, 9, 8),
                      ends_at=cph(2017, 11, 9, 10))
    e3 = EventFactory(programme=other, starts_at=cph(2017, 11, 9, 8), ends_at=cph(2017, 11, 9, 9))
    # Reached: A at both events (counted once, on 5 October), B at the second; C only invited.
    InvitationFactory(event=e1, company=company_a, attended=True)
    InvitationFactory(event=e2, company=company_a, attended=True)
    InvitationFactory(event=e2, company=company_b, attended=True)
    InvitationFactory(event=e2, attended=False)
    InvitationFactory(event=e3, company=company_b, attended=True)
    # Spotted: two at the first event, one at the second; one in another programme.
    s1 = SpottedOpeningFactory(event=e1, opening__company=company_a, consultant=alice,
                               opening__registered_on=dt.date(2017, 10, 5),
                               due_on=dt.date(2017, 10, 10), contacted_on=dt.date(2017, 10, 9))
    SpottedOpeningFactory(event=e1, opening__company=company_b, consultant=alice,
                          opening__registered_on=dt.date(2017, 10, 5),
                          due_on=dt.date(2017, 10, 10), contacted_on=dt.date(2017, 10, 12))
    SpottedOpeningFactory(event=e2, opening__company=company_a, consultant=bob,
                          opening__registered_on=dt.date(2017, 11, 9),
                          due_on=dt.date(2017, 11, 14))
    # Not due yet and not contacted: not counted in the share.
    SpottedOpeningFactory(event=e2, opening__company=company_a, consultant=bob,
                          opening__registered_on=dt.date(2017, 11, 9),
                          due_on=dt.date(2017, 12, 5))
    SpottedOpeningFactory(event=e3, opening__registered_on=dt.date(2017, 11, 9),
                          due_on=dt.date(2017, 11, 14))
    # The first spotted job became a placement (two, even: counted once, on the first start).
    PlacementFactory(opening=s1.opening, start_date=dt.date(2017, 11, 1))
    PlacementFactory(opening=s1.opening, start_date=dt.date(2017, 11, 20))
    # Mentors: two completed in the programme's course, one not yet, one in a course of none.
    course = MentorCourseFactory(programme=programme)
    TraineeFactory(course=course, company=company_a, completed_on=dt.date(2017, 11, 15))
    TraineeFactory(course=course, company=company_b, completed_on=dt.date(2017, 11, 15))
    TraineeFactory(course=course, company=company_b)
    TraineeFactory(course=MentorCourseFactory(), completed_on=dt.date(2017, 11, 15))
    # Networks: A (twice, counted on its first joining) and B; a network of no programme.
    network = NetworkFactory()
    network.programmes.add(programme)
    second = NetworkFactory()
    second.programmes.add(programme)
    MembershipFactory(network=network, company=company_a, joined_on=dt.date(2017, 9, 1))
    MembershipFactory(network=second, company=company_a, joined_on=dt.date(2017, 10, 1))
    MembershipFactory(network=network, company=company_b, joined_on=dt.date(2017, 9, 15))
    MembershipFactory(network=NetworkFactory(), joined_on=dt.date(2017, 9, 15))
    # Contacts: three in the period, one before it.
    ContactFactory(company=company_a, staff=alice, occurred_on=dt.date(2017, 10, 2))
    ContactFactory(company=company_a, staff=alice, occurred_on=dt.date(2017, 11, 2))
    ContactFactory(company=company_b, staff=bob, occurred_on=dt.date(2017, 11, 2))
    ContactFactory(company=company_b, staff=bob, occurred_on=dt.date(2017, 1, 2))
    # The relationship: A contacted 2 October, B last in January (over 6 months), C has
    # no responsible consultant.
    company_a.responsible_consultant, company_a.last_contact_on = alice, dt.date(2017, 10, 2)
    company_a.save()
    company_b.responsible_consultant, company_b.last_contact_on = bob, dt.date(2017, 1, 2)
    company_b.save()
    return programme


def _count(key, programme, **period):
    return registry.get(key).count(programme, **(period or PERIOD))


@time_machine.travel(NOW, tick=False)
def test_hand_counted_figures(world):
    assert _count("events_held", world) == 2
    assert _count("companies_reached_by_events", world) == 2
    assert _count("openings_spotted_at_events", world) == 4
    assert _count("spotted_openings_filled", world) == 1
    assert registry.get("spotted_followed_up_in_time").ratio(world, **PERIOD) == (1, 3)
    assert _count("spotted_followed_up_in_time", world) == 33
    assert _count("mentors_trained", world) == 2
    assert _count("network_members", world) == 2
    assert _count("company_contacts", world) == 3
    assert _count("companies_without_contact", world) == 1


@time_machine.travel(NOW, tick=False)
def test_days_the_figures_count_on(world):
    assert registry.get("events_held").daily(world, **PERIOD) == {
        dt.date(2017, 10, 5): 1, dt.date(2017, 11, 9): 1}
    assert registry.get("companies_reached_by_events").daily(world, **PERIOD) == {
        dt.date(2017, 10, 5): 1, dt.date(2017, 11, 9): 1}
    assert registry.get("spotted_openings_filled").daily(world, **PERIOD) == {
        dt.date(2017, 11, 1): 1}
    assert registry.get("network_members").daily(world, **PERIOD) == {
        dt.date(2017, 9, 1): 1, dt.date(2017, 9, 15): 1}
    # Only October: the first event's two jobs, one of them followed up in time.
    october = {"start": dt.date(2017, 10, 1), "end": dt.date(2017, 10, 31)}
    assert registry.get("spotted_followed_up_in_time").ratio(world, **october) == (1, 2)
    assert _count("events_held", world, **october) == 1


@time_machine.travel(NOW, tick=False)
def test_breakdowns(world, alice, bob):
    def rows(key, by):
        return {row.label: row.count for row in registry.get(key).breakdown(
            world, **PERIOD, by=by)}

    assert rows("openings_spotted_at_events", Dimension.COMPANY) == {
        "Alfa Bageri ApS": 3, "Beta Byg A/S": 1}
    assert rows("openings_spotted_at_events", Dimension.CONSULTANT) == {
        alice.get_full_name(): 2, bob.get_full_name(): 2}
    assert rows("company_contacts", Dimension.CONSULTANT) == {
        alice.get_full_name(): 2, bob.get_full_name(): 1}
    assert rows("companies_without_contact", Dimension.CONSULTANT) == {bob.get_full_name(): 1}
    assert rows("mentors_trained", Dimension.COMPANY) == {"Alfa Bageri ApS": 1,
                                                          "Beta Byg A/S": 1}
    assert rows("network_members", Dimension.COMPANY) == {"Alfa Bageri ApS": 1,
                                                          "Beta Byg A/S": 1}
    assert rows("companies_reached_by_events", Dimension.COMPANY) == {
        "Alfa Bageri ApS": 1, "Beta Byg A/S": 1}
    assert rows("events_held", Dimension.CONSULTANT) == {alice.get_full_name(): 2}


@time_machine.travel(NOW, tick=False)
def test_breakdowns_add_up_to_the_total(world):
    for key in ("company_contacts", "companies_without_contact", "events_held",
                "companies_reached_by_events", "openings_spotted_at_events",
                "spotted_openings_filled", "mentors_trained", "network_members"):
        metric = registry.get(key)
        for dimension in metric.breakdowns:
            rows = metric.breakdown(world, **PERIOD, by=dimension)
            assert sum(row.count for row in rows) == metric.count(world, **PERIOD), key


def test_every_relations_metric_has_a_definition():
    keys = ["company_contacts", "companies_without_contact", "events_held",
            "companies_reached_by_events", "openings_spotted_at_events",
            "spotted_openings_filled", "spotted_followed_up_in_time", "mentors_trained",
            "network_members"]
    for key in keys:
        assert str(registry.get(key).description).endswith(".")
