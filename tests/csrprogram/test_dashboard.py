"""The dashboard: actuals at the edges, status from the projection, charts, breakdowns,
permissions, the consultant's own figures, and a query count that does not grow with data."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from companies.models import Company
from csrprogram.choices import PercentageBasis, TargetKind
from csrprogram.dashboard import Status, consultant_figures, programme_dashboard
from csrprogram.metrics import registry
from tests.companies.factories import CompanyFactory
from tests.csrprogram.dashboard_metrics import at
from tests.csrprogram.factories import TargetFactory, UserFactory
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.usefixtures("test_metrics")

COMPANIES = "test_companies_registered"
USERS = "test_users_joined"


def company_registered(moment: dt.datetime, **kwargs) -> Company:
    company = CompanyFactory(**kwargs)
    Company.objects.filter(pk=company.pk).update(created_at=moment)
    return company


def row_for(board, target):
    return next(row for row in board.rows if row.target.pk == target.pk)


def test_deadline_day_counts_and_the_next_day_does_not(programme):
    """Copenhagen days: 23:30 on the deadline counts (22:30 UTC), 00:30 the day after not."""
    first = TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    second = TargetFactory(programme=programme, value=20, deadline=dt.date(2018, 12, 31))
    company_registered(at(dt.date(2017, 6, 18), 23, 59))   # the day before the start
    company_registered(at(dt.date(2017, 6, 19), 0, 0))     # the first day
    company_registered(at(dt.date(2017, 12, 31), 23, 30))  # the deadline day, late evening
    company_registered(at(dt.date(2018, 1, 1), 0, 30))     # just after the deadline
    company_registered(at(dt.date(2018, 12, 31), 23, 59))  # the last day of the programme
    company_registered(at(dt.date(2019, 1, 1), 0, 0))      # after the programme

    board = programme_dashboard(programme=programme, as_of=dt.date(2019, 3, 1))
    assert row_for(board, first).actual == 2
    # Milestones are cumulative: counted from the programme's start.
    assert row_for(board, second).actual == 4
    assert row_for(board, first).counted_until == dt.date(2017, 12, 31)


def test_actual_counts_until_today_before_the_deadline(programme):
    target = TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    company_registered(at(dt.date(2017, 9, 1)))
    company_registered(at(dt.date(2017, 9, 2)))
    board = programme_dashboard(programme=programme, as_of=dt.date(2017, 9, 1))
    assert row_for(board, target).actual == 1
    assert row_for(board, target).counted_until == dt.date(2017, 9, 1)


def test_status_from_the_linear_projection(programme):
    """Start 19.06.2017, deadline 31.12.2017: 196 days; on 24.09.2017 98 days have passed."""
    on_track = TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    behind = TargetFactory(programme=programme, metric_key=COMPANIES, value=11,
                           deadline=dt.date(2017, 12, 30))
    for day in range(5):
        company_registered(at(dt.date(2017, 7, 1) + dt.timedelta(days=day)))
    board = programme_dashboard(programme=programme, as_of=dt.date(2017, 9, 24))
    # 5 in 98 days is 10 in 196 days: exactly on track.
    assert (row_for(board, on_track).projected, row_for(board, on_track).status) == (
        10, Status.ON_TRACK)
    assert row_for(board, on_track).progress == 50
    # 5 in 98 days is 9 (rounded down) in 195 days: behind a target of 11.
    assert (row_for(board, behind).projected, row_for(board, behind).status) == (
        9, Status.BEHIND)


def test_reached_missed_not_started(programme):
    reached = TargetFactory(programme=programme, value=2, deadline=dt.date(2017, 12, 31))
    missed = TargetFactory(programme=programme, value=5, deadline=dt.date(2018, 1, 31))
    company_registered(at(dt.date(2017, 7, 1)))
    company_registered(at(dt.date(2017, 7, 2)))
    board = programme_dashboard(programme=programme, as_of=dt.date(2018, 6, 1))
    assert row_for(board, reached).status == Status.REACHED
    assert row_for(board, reached).progress == 100
    assert row_for(board, missed).status == Status.MISSED
    assert row_for(board, missed).progress == 40

    early = programme_dashboard(programme=programme, as_of=dt.date(2017, 1, 1))
    assert row_for(early, missed).status == Status.NOT_STARTED
    assert row_for(early, missed).actual == 0


def test_percentage_target_of_another_target_and_of_an_actual(programme):
    enrolled = TargetFactory(programme=programme, metric_key=USERS, value=50,
                             deadline=dt.date(2018, 12, 31))
    of_target = TargetFactory(programme=programme, kind=TargetKind.PERCENTAGE, value=25,
                              reference=enrolled, deadline=dt.date(2018, 12, 31))
    of_actual = TargetFactory(programme=programme, kind=TargetKind.PERCENTAGE, value=25,
                              reference=enrolled, basis=PercentageBasis.ACTUAL,
                              deadline=dt.date(2018, 6, 30))
    for _ in range(3):
        UserFactory(date_joined=at(dt.date(2017, 8, 1)))
    board = programme_dashboard(programme=programme, as_of=dt.date(2019, 1, 1))
    assert row_for(board, of_target).target_value == 13
    # 25 % of the 3 users who joined: 0.75, rounded up to 1.
    assert row_for(board, of_actual).target_value == 1


def test_a_metric_no_longer_registered_shows_as_unavailable(client, bob, programme):
    gone = TargetFactory(programme=programme, metric_key="retired_metric", value=30,
                         deadline=dt.date(2018, 12, 31))
    kept = TargetFactory(programme=programme, value=1, deadline=dt.date(2018, 12, 31))
    board = programme_dashboard(programme=programme, as_of=dt.date(2018, 6, 1))
    assert row_for(board, gone).status == Status.UNAVAILABLE
    assert row_for(board, gone).actual is None
    assert row_for(board, kept).status != Status.UNAVAILABLE

    client.force_login(bob)
    html = client.get(reverse("programme-dashboard", args=[programme.pk])).content.decode()
    assert "Nøgletal ikke tilgængeligt" in html
    assert "retired_metric" in html


def test_metric_unregistered_after_the_target_was_made(client, bob, programme):
    TargetFactory(programme=programme, metric_key=USERS, value=5)
    registry.unregister(USERS)
    client.force_login(bob)
    response = client.get(reverse("programme-dashboard", args=[programme.pk]))
    assert response.status_code == 200
    assert "Nøgletal ikke tilgængeligt" in response.content.decode()


@time_machine.travel(dt.datetime(2017, 10, 1, 12, tzinfo=dt.UTC), tick=False)
def test_dashboard_page_shows_numbers_links_chart_and_breakdowns(client, bob, programme):
    TargetFactory(programme=programme, value=100, deadline=dt.date(2017, 12, 31))
    TargetFactory(programme=programme, value=150, deadline=dt.date(2018, 12, 31))
    company_registered(at(dt.date(2017, 7, 3)), name="Alfa Bageri ApS", industry="Bageri")
    company_registered(at(dt.date(2017, 8, 3)), name="Beta Byg A/S", industry="Byggeri")
    client.force_login(bob)
    response = client.get(reverse("programme-dashboard", args=[programme.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Måltal for CSR Strategi 2017" in html
    # Every number links to the records behind it.
    detail = reverse("programme-detail", args=[programme.pk])
    assert re.search(rf'<a href="{detail}"[^>]*>2</a>', html)
    # The chart: accessible SVG with title, description and a table alternative.
    assert 'role="img"' in html
    assert '<title id="chart-0-title">Registrerede virksomheder over tid</title>' in html
    assert "Kumulativt resultat for Registrerede virksomheder" in html
    assert "kumulativt resultat ved månedens udgang" in html
    # Breakdowns by company and by target group.
    assert "Fordelt på virksomhed" in html
    assert "Alfa Bageri ApS" in html
    assert "Fordelt på målgruppe" in html
    assert "Byggeri" in html
    # Strict CSP: no inline styles or scripts.
    assert "style=" not in html
    assert "<script>" not in html


def test_consultants_get_403_on_the_team_dashboard(client, alice, programme):
    client.force_login(alice)
    assert client.get(reverse("programme-dashboard", args=[programme.pk])).status_code == 403


def test_consultant_sees_only_their_own_figures(client, alice, bob, programme):
    TargetFactory(programme=programme, metric_key=USERS, value=5)
    TargetFactory(programme=programme, value=5)  # no consultant breakdown: not listed
    type(alice).objects.filter(pk=alice.pk).update(date_joined=at(dt.date(2017, 8, 1)))
    type(bob).objects.filter(pk=bob.pk).update(date_joined=at(dt.date(2017, 8, 2)))

    figures = consultant_figures(programme=programme, user=alice, as_of=dt.date(2018, 1, 1))
    assert [(f.metric_key, f.count) for f in figures] == [(USERS, 1)]

    client.force_login(alice)
    html = client.get(reverse("programme-my-figures", args=[programme.pk])).content.decode()
    assert "Mine tal i CSR Strategi 2017" in html
    assert "Nye medarbejdere" in html
    assert "bob@jobcenter.example" not in html


def test_consultant_outside_the_programme_gets_404_on_my_figures(client, programme):
    from csrprogram.choices import Role

    outsider = UserFactory(roles=[Role.CONSULTANT])
    client.force_login(outsider)
    assert client.get(reverse("programme-my-figures",
                              args=[programme.pk])).status_code == 404


def test_home_page_links_the_team_leader_to_each_dashboard(client, bob, programme):
    client.force_login(bob)
    html = client.get(reverse("home")).content.decode()
    assert "Programmernes mål" in html
    assert reverse("programme-dashboard", args=[programme.pk]) in html


def test_dashboard_query_budget_does_not_grow_with_data(client, bob, programme):
    TargetFactory(programme=programme, value=100, deadline=dt.date(2017, 12, 31))
    TargetFactory(programme=programme, value=150, deadline=dt.date(2018, 12, 31))
    TargetFactory(programme=programme, metric_key=USERS, value=50,
                  deadline=dt.date(2018, 12, 31))
    client.force_login(bob)
    days = iter(range(10_000))

    def add_rows(count):
        for _ in range(count):
            offset = next(days)
            company_registered(at(dt.date(2017, 7, 1) + dt.timedelta(days=offset % 500)),
                               industry=f"Branche {offset % 7}")
            UserFactory(date_joined=at(dt.date(2017, 7, 1) + dt.timedelta(days=offset % 500)))

    with time_machine.travel(dt.datetime(2018, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        count = assert_query_budget(client, reverse("programme-dashboard", args=[programme.pk]),
                                    add_rows=add_rows, budget=10, few=2, many=40)
    # Session, user, roles, programme, targets, one daily() per metric, one breakdown()
    # per metric and dimension.
    assert count <= 10


def test_company_breakdown_shows_the_largest_rows_and_sums_the_rest(client, bob, programme):
    from csrprogram.dashboard import BREAKDOWN_LIMIT

    TargetFactory(programme=programme, value=100, deadline=dt.date(2017, 12, 31))
    extra = 5
    for n in range(BREAKDOWN_LIMIT + extra):
        company_registered(at(dt.date(2017, 7, 3)), name=f"Firma {n:02d}")
    with time_machine.travel(dt.datetime(2017, 9, 1, 12, tzinfo=dt.UTC), tick=False):
        board = programme_dashboard(programme=programme, as_of=dt.date(2017, 9, 1))
        table = next(t for t in board.breakdowns if t.dimension == "company")
        assert table.limited == BREAKDOWN_LIMIT
        assert len(table.rows) == BREAKDOWN_LIMIT + 1
        label, cells = table.rows[-1]
        assert label == f"Øvrige ({extra})"
        assert cells[0].count == extra
        assert cells[0].url == reverse("programme-detail", args=[programme.pk])
        # Every counted company is in the table: the rows add up to the total.
        assert sum(cells[0].count for _label, cells in table.rows) == BREAKDOWN_LIMIT + extra
        client.force_login(bob)
        html = client.get(reverse("programme-dashboard", args=[programme.pk])).content.decode()
    assert f"Øvrige ({extra})" in html
    assert "de 20 største" in html


def test_chart_lines_are_thinned_to_a_bounded_number_of_points():
    from csrprogram.dashboard import CHART_POINTS, _Running

    day = dt.date(2021, 1, 1)
    end = day + dt.timedelta(days=6 * 365 - 1)
    # One event on each of the first three days of every month.
    daily = {dt.date(year, month, n): 1 for year in range(2021, 2027) for month in range(1, 13)
             for n in (1, 2, 3) if dt.date(year, month, n) <= end}
    points = _Running(daily, day, end).points()
    assert len(points) <= CHART_POINTS + 1
    assert points[0] == (day, 1)
    assert points[-1] == (end, 6 * 12 * 3)
    # Every day of a short range; a flat stretch by its two ends.
    assert _Running(daily, day, day + dt.timedelta(days=9)).points() == [
        (day, 1), (dt.date(2021, 1, 2), 2), (dt.date(2021, 1, 3), 3),
        (dt.date(2021, 1, 10), 3)]
    assert _Running({}, day, end).points() == [(day, 0), (end, 0)]
    assert _Running(daily, day, day - dt.timedelta(days=1)).points() == []


def test_chart_tables_show_month_ends_thinned_to_a_bounded_number_of_rows():
    from csrprogram.dashboard import TABLE_ROWS, _Running

    day = dt.date(2021, 1, 1)
    daily = {dt.date(year, month, 1): 1 for year in range(2021, 2027) for month in range(1, 13)}
    # A year: every month end, then the day of the dashboard.
    table = _Running(daily, day, dt.date(2021, 12, 15)).month_ends()
    assert table[0] == (dt.date(2021, 1, 31), 1)
    assert table[-2:] == [(dt.date(2021, 11, 30), 11), (dt.date(2021, 12, 15), 12)]
    assert len(table) == 12
    # Six years: 72 month ends, every third from the latest (2026-11-30, 71), then today.
    table = _Running(daily, day, dt.date(2026, 12, 15)).month_ends()
    assert len(table) <= TABLE_ROWS + 1
    assert table[-2:] == [(dt.date(2026, 11, 30), 71), (dt.date(2026, 12, 15), 72)]
    assert table[-3] == (dt.date(2026, 8, 31), 68)
