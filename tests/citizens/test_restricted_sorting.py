"""Issue 16: a list sorted by citizen never sorts a restricted or erased citizen by the hidden
name (``citizens.selectors.citizen_sort_name``). Such a row is shown as "Begrænset borger
nr. N"; sorted by the real name it would sit where that name belongs and tell it.

Five citizens of Alice's caseload have a placement at Alfa Bageri (with its follow-up
visits): Bent, Carl and Dorte, and two restricted ones, "Zita Østergaard" first and
"Aase Abildgaard" last (a name that would sort first of all). Sorted by citizen, the named
rows come in the order of their names and the restricted ones together after them, in the
order of the row (never Aase first).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from citizens import services
from citizens.selectors import citizen_sort_name
from csrprogram.views_base import ListPaginator
from placements import services as placement_services
from placements.models import Placement
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory

# Monday 6 November 2017, 08:00 in Copenhagen.
TODAY = dt.datetime(2017, 11, 6, 7, 0, tzinfo=dt.UTC)
NAMES = ["Zita Østergaard", "Dorte Dam", "Bent Bak", "Carl Cold", "Aase Abildgaard"]
RESTRICTED = {"Zita Østergaard", "Aase Abildgaard"}
NAMED_ORDER = ["Bent Bak", "Carl Cold", "Dorte Dam"]
RESTRICTED_ORDER = ["Zita Østergaard", "Aase Abildgaard"]  # by the row: Zita's came first

pytestmark = pytest.mark.django_db


@pytest.fixture
def placements(programme, alice, bob, company_a) -> dict[str, Placement]:
    """The five placements, in the order of ``NAMES``, the two restricted ones restricted."""
    made = {}
    for name in NAMES:
        citizen = CitizenFactory(name=name, consultant=alice, weekly_hours=20)
        EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=dt.date(2017, 8, 1))
        opening = JobOpeningFactory(programme=programme, company=company_a, weekly_hours=15)
        made[name] = placement_services.candidacy_accept(
            candidacy=CandidacyFactory(opening=opening, citizen=citizen), actor=alice,
            start_date=dt.date(2017, 10, 24), consultant=alice)
    for name in RESTRICTED:
        services.citizen_restrict(citizen=made[name].citizen, actor=bob,
                                  reason="Borgeren bestrider oplysningerne")
    return made


def _names(rows, placements, *, of=lambda row: row) -> list[str]:
    """The fixture's names of ``rows`` in their order, each once (a placement's two visits
    are one citizen)."""
    by_pk = {placement.pk: name for name, placement in placements.items()}
    names = []
    for row in rows:
        name = by_pk[of(row).pk]
        if not names or names[-1] != name:
            names.append(name)
    return names


def test_the_sort_key_leaves_the_restricted_name_out(placements):
    rows = Placement.objects.order_by(citizen_sort_name("citizen__"), "pk")
    assert _names(rows, placements) == NAMED_ORDER + RESTRICTED_ORDER
    descending = Placement.objects.order_by(citizen_sort_name("citizen__").desc(), "-pk")
    assert _names(descending, placements) == list(reversed(NAMED_ORDER + RESTRICTED_ORDER))


def test_an_erased_citizen_sorts_with_the_restricted(placements, bob):
    services.citizen_erase(citizen=placements["Carl Cold"].citizen, actor=bob,
                           reason="Borgerens anmodning")
    rows = Placement.objects.order_by(citizen_sort_name("citizen__"), "pk")
    # Erased: Carl's row has no key either; it is the third of the unnamed rows by its pk.
    assert _names(rows, placements) == ["Bent Bak", "Dorte Dam", "Zita Østergaard",
                                        "Carl Cold", "Aase Abildgaard"]


@pytest.mark.parametrize("per_page", [1, 2, 3])
def test_the_paginator_pages_the_sort_on_either_side_of_the_middle(placements, per_page):
    for descending in (False, True):
        key = citizen_sort_name("citizen__")
        queryset = Placement.objects.order_by(key.desc() if descending else key.asc(),
                                              "-pk" if descending else "pk")
        paginator = ListPaginator(queryset, per_page)
        paged = [row for number in paginator.page_range
                 for row in paginator.page(number).object_list]
        assert [row.pk for row in paged] == [row.pk for row in queryset]


@time_machine.travel(TODAY, tick=False)
def test_the_placement_list_sorted_by_citizen(client, alice, placements):
    client.force_login(alice)
    url = reverse("placements:placement-list")
    rows = client.get(url, {"sort": "citizen"}).context["placements"]
    assert _names(rows, placements) == NAMED_ORDER + RESTRICTED_ORDER
    rows = client.get(url, {"sort": "-citizen"}).context["placements"]
    assert _names(rows, placements) == list(reversed(NAMED_ORDER + RESTRICTED_ORDER))
    html = client.get(url, {"sort": "citizen"}).content.decode()
    assert "Aase" not in html
    assert "Zita" not in html


@time_machine.travel(TODAY, tick=False)
def test_the_visit_work_list_sorted_by_citizen(client, alice, placements):
    client.force_login(alice)
    url = reverse("followups:visit-list")
    visits = client.get(url, {"sort": "citizen"}).context["visits"]
    assert _names(visits, placements, of=lambda visit: visit.placement) == (
        NAMED_ORDER + RESTRICTED_ORDER)
    visits = client.get(url, {"sort": "-citizen"}).context["visits"]
    assert _names(visits, placements, of=lambda visit: visit.placement) == list(
        reversed(NAMED_ORDER + RESTRICTED_ORDER))
