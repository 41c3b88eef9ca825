"""Issue 14: the dashboard's figures are computed once and shown from the cache for
CSR_DASHBOARD_CACHE_SECONDS, per programme, day, language and state of the targets; the page
says when they were computed and computes them anew on request; the phone's drawing of each
chart is an image of its own, so the page does not carry every chart twice."""

import csv
import datetime as dt
import io
import re
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from companies.models import Company
from csrprogram.dashboard import dashboard_for_display
from tests.companies.factories import CompanyFactory
from tests.csrprogram.dashboard_metrics import at
from tests.csrprogram.factories import TargetFactory

pytestmark = pytest.mark.usefixtures("test_metrics")

AS_OF = dt.date(2017, 9, 1)


@pytest.fixture
def kept(settings):
    """Dashboards kept for 10 minutes, in a cache of this test's own: the suite's workers
    share one Redis, and their databases give out the same primary keys."""
    settings.CSR_DASHBOARD_CACHE_SECONDS = 600
    settings.CACHES = {"default": {**settings.CACHES["default"],
                                   "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


def company_registered(day: dt.date) -> Company:
    company = CompanyFactory()
    Company.objects.filter(pk=company.pk).update(created_at=at(day))
    return company


def actual(board) -> int:
    return board.rows[0].actual


def test_a_computed_dashboard_is_reused_with_one_query(kept, programme):
    TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    company_registered(dt.date(2017, 7, 3))
    first = dashboard_for_display(programme=programme, as_of=AS_OF)
    company_registered(dt.date(2017, 7, 4))
    with CaptureQueriesContext(connection) as reusing:
        again = dashboard_for_display(programme=programme, as_of=AS_OF)
    assert len(reusing) == 1  # the targets' state, for the key
    assert (actual(again), again.computed_at) == (actual(first), first.computed_at) == (
        1, first.computed_at)
    # "Beregn tallene igen": computed anew, and the new copy is the one kept.
    fresh = dashboard_for_display(programme=programme, as_of=AS_OF, refresh=True)
    assert actual(fresh) == 2
    assert fresh.computed_at > first.computed_at
    assert actual(dashboard_for_display(programme=programme, as_of=AS_OF)) == 2


def test_a_changed_target_or_another_day_or_language_is_computed_anew(kept, programme):
    target = TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    company_registered(dt.date(2017, 7, 3))
    board = dashboard_for_display(programme=programme, as_of=AS_OF)
    assert board.rows[0].target_value == 10
    target.value = 12
    target.save()
    assert dashboard_for_display(programme=programme, as_of=AS_OF).rows[0].target_value == 12
    company_registered(dt.date(2017, 7, 4))
    assert actual(dashboard_for_display(programme=programme,
                                        as_of=AS_OF + dt.timedelta(days=1))) == 2
    with translation.override("en"):
        english = dashboard_for_display(programme=programme, as_of=AS_OF)
    assert actual(english) == 2
    assert english.charts[0].description.startswith("Cumulative")
    assert board.charts[0].description.startswith("Kumulativt")


def test_with_zero_seconds_every_request_computes(settings, programme):
    settings.CSR_DASHBOARD_CACHE_SECONDS = 0
    TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    company_registered(dt.date(2017, 7, 3))
    assert actual(dashboard_for_display(programme=programme, as_of=AS_OF)) == 1
    company_registered(dt.date(2017, 7, 4))
    assert actual(dashboard_for_display(programme=programme, as_of=AS_OF)) == 2


@time_machine.travel(dt.datetime(2017, 9, 1, 10, 5, tzinfo=dt.UTC), tick=False)
def test_the_page_says_when_its_figures_were_computed_and_offers_to_compute_them_anew(
        kept, client, bob, programme):
    TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    company_registered(dt.date(2017, 7, 3))
    client.force_login(bob)
    url = reverse("programme-dashboard", args=[programme.pk])
    html = client.get(url).content.decode()
    # 10:05 UTC is 12:05 in Copenhagen (summer time).
    assert "Tallene er beregnet kl. 12:05 og vises uændret i op til 10 minutter." in html
    assert 'href="?refresh=1">Beregn tallene igen</a>' in html
    company_registered(dt.date(2017, 7, 4))
    detail = reverse("programme-detail", args=[programme.pk])
    link = re.compile(rf'<a href="{detail}[^"]*"[^>]*>(\d+)</a>')
    assert link.search(client.get(url).content.decode()).group(1) == "1"
    assert link.search(client.get(url + "?refresh=1").content.decode()).group(1) == "2"
    # The exports show the figures of the page just seen.
    company_registered(dt.date(2017, 7, 5))
    response = client.get(reverse("programme-export-csv", args=[programme.pk]))
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    target_line = next(line for line in lines if line[:2] == ["Registrerede virksomheder",
                                                                  "Absolut"])
    assert target_line[3:5] == ["10", "2"]  # target, actual: the page's, not 3


def test_the_phone_drawing_is_an_image_of_its_own(client, bob, alice, carol, programme):
    TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    company_registered(dt.date(2017, 7, 3))
    client.force_login(bob)
    html = client.get(reverse("programme-dashboard", args=[programme.pk])).content.decode()
    # One inline drawing per chart (the wide one); the phone's is an image with the
    # chart's description as its text alternative, loaded only where it shows.
    assert html.count("<svg") == 1
    chart_url = reverse("programme-dashboard-chart",
                        args=[programme.pk, "test_companies_registered"])
    image = re.search(rf'<img src="{chart_url}" alt="([^"]+)" loading="lazy"', html)
    assert image
    assert image.group(1).startswith(
        "Registrerede virksomheder over tid. Kumulativt resultat for")
    response = client.get(chart_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 340 ')
    assert 'font-family="system-ui' in svg  # an image inherits no font from the page
    # A metric without a chart, and other users.
    assert client.get(reverse("programme-dashboard-chart",
                              args=[programme.pk, "no_such_metric"])).status_code == 404
    client.force_login(alice)  # a consultant: no dashboard
    assert client.get(chart_url).status_code == 403
    client.force_login(carol)  # a company contact
    assert client.get(chart_url).status_code == 403
    client.logout()
    assert client.get(chart_url).status_code == 302  # to the login


def test_own_figures_are_one_kept_computation_shared_by_the_consultants(
        kept, alice, bob, programme):
    """"Mine tal" of every consultant comes from one computation of the programme's
    consultant breakdowns: the second consultant reads the first one's copy (one query, for
    the key), and "Beregn tallene igen" renews it for everyone."""
    from csrprogram.dashboard import own_figures_for_display

    users = "test_users_joined"
    TargetFactory(programme=programme, metric_key=users, value=5)
    type(alice).objects.filter(pk=alice.pk).update(date_joined=at(dt.date(2017, 8, 1)))
    as_of = dt.date(2018, 1, 1)

    def count(user, **kwargs):
        own = own_figures_for_display(programme=programme, user=user, as_of=as_of, **kwargs)
        return own.figures[0].count, own.computed_at

    alice_first, computed_at = count(alice)
    assert alice_first == 1
    with CaptureQueriesContext(connection) as reusing:
        assert count(bob) == (0, computed_at)  # bob's row of the same computation
    assert len(reusing) == 1
    type(bob).objects.filter(pk=bob.pk).update(date_joined=at(dt.date(2017, 8, 2)))
    assert count(bob) == (0, computed_at)  # still the kept copy
    bob_now, renewed_at = count(bob, refresh=True)
    assert bob_now == 1
    assert renewed_at > computed_at
    assert count(alice) == (1, renewed_at)


def test_the_worker_keeps_the_figures_of_the_programmes_shown_in_each_language(
        kept, settings, alice, programme):
    """``dashboards_keep`` (the beat's "dashboards-keep") computes anew the dashboard and the
    consultants' figures of every running programme in each language it was shown in within
    a day, so the pages read them with one query each; a programme not shown, or ended, is
    left alone."""
    from csrprogram.dashboard import dashboards_keep, own_figures_for_display
    from tests.csrprogram.factories import ProgrammeFactory

    TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    TargetFactory(programme=programme, metric_key="test_users_joined", value=5)
    unseen = ProgrammeFactory(name="Ikke vist")
    TargetFactory(programme=unseen, value=10, deadline=dt.date(2017, 12, 31))
    ended = ProgrammeFactory(name="Afsluttet", starts_on=dt.date(2016, 1, 1),
                             ends_on=dt.date(2016, 12, 31))
    TargetFactory(programme=ended, value=10, deadline=dt.date(2016, 12, 31))
    languages = [code for code, _name in settings.LANGUAGES]
    for language in languages:
        with translation.override(language):
            assert actual(dashboard_for_display(programme=programme, as_of=AS_OF)) == 0
            dashboard_for_display(programme=ended, as_of=AS_OF)

    company_registered(dt.date(2017, 7, 3))  # counted by the kept copies, not the shown ones
    assert dashboards_keep(as_of=AS_OF) == 2 * len(languages)
    company_registered(dt.date(2017, 7, 4))  # after the copies were made
    for language in languages:
        with translation.override(language), CaptureQueriesContext(connection) as reading:
            board = dashboard_for_display(programme=programme, as_of=AS_OF)
            own = own_figures_for_display(programme=programme, user=alice, as_of=AS_OF)
        assert len(reading) == 2, language  # the targets' state for each key; no figure
        assert actual(board) == 1
        assert [figure.metric_key for figure in own.figures] == ["test_users_joined"]
    with CaptureQueriesContext(connection) as computing:
        assert actual(dashboard_for_display(programme=unseen, as_of=AS_OF)) == 2
    assert len(computing) > 2  # not kept: computed within the request


def test_a_programme_that_fails_to_compute_does_not_stop_the_others(
        kept, programme, monkeypatch, caplog):
    from csrprogram import dashboard
    from tests.csrprogram.factories import ProgrammeFactory

    other = ProgrammeFactory(name="Anden")
    computed = dashboard.programme_dashboard

    def failing(*, programme, as_of, **kwargs):
        if programme.pk == other.pk:
            raise RuntimeError("metric failed")
        return computed(programme=programme, as_of=as_of, **kwargs)

    for shown in (programme, other):
        dashboard.dashboard_for_display(programme=shown, as_of=AS_OF)
    monkeypatch.setattr(dashboard, "programme_dashboard", failing)
    assert dashboard.dashboards_keep(as_of=AS_OF) == 2  # the one language shown, in one
    assert "could not be kept" in caplog.text


def test_nothing_is_kept_when_dashboards_are_not_cached(settings, programme):
    from csrprogram.dashboard import dashboards_keep

    settings.CSR_DASHBOARD_CACHE_SECONDS = 0
    assert dashboards_keep(as_of=AS_OF) == 0


def test_the_beat_keeps_the_dashboards_more_often_than_a_copy_lasts(settings):
    from csrprogram.settings import dashboards_keep_interval
    from csrprogram.tasks import dashboards_keep_task

    entry = settings.CELERY_BEAT_SCHEDULE["dashboards-keep"]  # bin/test gives a Redis cache
    assert entry["task"] == dashboards_keep_task.name
    assert entry["options"]["expires"] < entry["schedule"]
    assert [dashboards_keep_interval(seconds, True) for seconds in (600, 120, 60)] == [
        300, 60, 30]
    # Copies under a minute, no cache shared with the worker, or none kept: no entry.
    assert [dashboards_keep_interval(seconds, shared) for seconds, shared in (
        (59, True), (600, False), (0, True))] == [None, None, None]


def test_a_copy_computed_after_the_run_started_is_not_replaced(kept, programme):
    """A team leader's "Beregn tallene igen" that finishes during the worker's run keeps its
    newer copy: the run does not write its older figures over it."""
    from django.core.cache import cache
    from django.utils import timezone

    from csrprogram import dashboard

    newer = dashboard.programme_dashboard(programme=programme, as_of=AS_OF)
    key = dashboard._dashboard_cache_key(programme, AS_OF)
    cache.set(key, newer, 600)
    older = dashboard.programme_dashboard(programme=programme, as_of=AS_OF)
    dashboard._keep_unless_newer(key, older, seconds=600,
                                 started=newer.computed_at - dt.timedelta(seconds=1))
    assert cache.get(key).computed_at == newer.computed_at
    dashboard._keep_unless_newer(key, older, seconds=600, started=timezone.now())
    assert cache.get(key).computed_at == older.computed_at


def test_my_figures_page_says_when_they_were_computed(kept, client, alice, programme):
    TargetFactory(programme=programme, metric_key="test_users_joined", value=5)
    client.force_login(alice)
    url = reverse("programme-my-figures", args=[programme.pk])
    html = client.get(url).content.decode()
    assert "Tallene er beregnet kl." in html
    assert 'href="?refresh=1"' in html
    assert client.get(url + "?refresh=1").status_code == 200


def test_a_kept_copy_that_cannot_be_read_back_is_computed_anew(kept, programme, monkeypatch):
    """A copy kept by an earlier release (other classes) is never an error: the key carries
    the kept classes' shape, and a copy that does not unpickle is a miss."""
    from csrprogram import dashboard

    TargetFactory(programme=programme, value=10, deadline=dt.date(2017, 12, 31))
    company_registered(dt.date(2017, 7, 3))
    dashboard_for_display(programme=programme, as_of=AS_OF)
    assert dashboard._SHAPE in dashboard._dashboard_cache_key(programme, AS_OF)

    def unreadable(self, key, default=None, version=None):
        raise ModuleNotFoundError("No module named 'csrprogram.old_dashboard'")

    monkeypatch.setattr(type(caches["default"]), "get", unreadable)
    assert actual(dashboard_for_display(programme=programme, as_of=AS_OF)) == 1


def test_a_block_within_another_shares_its_item_figures(programme):
    """``items_cached`` inside ``items_cached`` (``dashboards_keep`` around the dashboard's
    own block): an item metric asked twice for the same range is one query."""
    from csrprogram.metrics import items_cached, registry

    metric = registry.get("certified_companies")  # an ItemMetric
    with items_cached(), CaptureQueriesContext(connection) as queries:
        with items_cached():
            metric.count(programme, start=programme.starts_on, end=AS_OF)
        with items_cached():
            metric.count(programme, start=programme.starts_on, end=AS_OF)
    assert len(queries) == 1
