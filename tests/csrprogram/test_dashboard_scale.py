"""Query budgets of the dashboard, its exports and "Mine tal" with every registered metric
(issue 14): the number of queries must not grow with the citizens, placements, certificates,
consultants and companies counted, nor with the rows of the breakdowns. The budgets are the
counts the benchmark measures at LARGE (docs/performance.md): the dashboard 45 (session and
user, the programme, its targets, one query per item metric for its daily counts and every
breakdown, one aggregate per other metric and dimension), "Mine tal" 20."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.urls import reverse

from citizens import services as citizen_services
from csrprogram.choices import Role, TargetGroup
from csrprogram.metrics import registry
from placements import services as placement_services
from placements.choices import OpeningKind
from tests.certificates.factories import at, certificate
from tests.citizens.factories import next_cpr
from tests.companies.factories import CompanyFactory
from tests.csrprogram.factories import TargetFactory, UserFactory
from tests.query_budget import assert_query_budget

TODAY = dt.datetime(2018, 6, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def every_metric(programme):
    """A target on every registered metric (a milestone and the final one)."""
    for metric in registry.all():
        for deadline in (dt.date(2017, 12, 31), dt.date(2018, 12, 31)):
            TargetFactory(programme=programme, metric_key=metric.key, value=50,
                          deadline=deadline)


@pytest.fixture
def add_rows(programme, bob):
    """Adds ``count`` rows to everything the metrics count: each a new consultant, citizen
    (enrolled), company, CSR-job placement and certificate, on days spread over 2017."""
    serial = itertools.count()
    groups = itertools.cycle(TargetGroup.values)

    def add(count):
        for _ in range(count):
            n = next(serial)
            day = dt.date(2017, 7, 1) + dt.timedelta(days=3 * n)
            consultant = UserFactory(roles=[Role.CONSULTANT])
            programme.members.add(consultant)
            company = CompanyFactory(name=f"Firma {n}")
            citizen = citizen_services.citizen_create(
                actor=consultant, cpr=next_cpr(), programme=programme, enrolled_on=day,
                data={"name": f"Borger {n}", "target_group": next(groups),
                      "weekly_hours": 30, "consultant": consultant})
            opening = placement_services.opening_create(actor=consultant, data={
                "programme": programme, "company": company, "kind": OpeningKind.CSR_JOB,
                "title": "Lagermedarbejder", "job_category": "warehouse", "tasks": "Pakning.",
                "weekly_hours": 15, "positions": 1, "registered_on": day})
            candidacy = placement_services.candidacy_propose(opening=opening, citizen=citizen,
                                                             actor=consultant)
            placement_services.candidacy_accept(candidacy=candidacy, actor=consultant,
                                                start_date=day, decided_on=day,
                                                consultant=consultant)
            certificate(programme=programme, leader=bob, consultant=consultant,
                        company=company, issued_at=at(day.year, day.month, day.day))
    return add


@pytest.mark.parametrize(("name", "budget"), [
    ("programme-dashboard", 45), ("programme-export-csv", 45), ("programme-export-xlsx", 45),
])
def test_dashboard_and_exports_make_as_many_queries_with_more_data(
        client, bob, programme, every_metric, add_rows, name, budget):
    client.force_login(bob)
    with time_machine.travel(TODAY, tick=False):
        assert_query_budget(client, reverse(name, args=[programme.pk]), add_rows=add_rows,
                            budget=budget, few=2, many=8)


def test_my_figures_make_as_many_queries_with_more_data(
        client, alice, programme, every_metric, add_rows):
    client.force_login(alice)
    with time_machine.travel(TODAY, tick=False):
        assert_query_budget(client, reverse("programme-my-figures", args=[programme.pk]),
                            add_rows=add_rows, budget=20, few=2, many=8)
