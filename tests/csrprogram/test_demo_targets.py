"""The demo seeds the targets of the Randers programmes, for the metrics that are registered."""

import datetime as dt

import pytest
from django.core.management import call_command

from csrprogram.choices import TargetKind
from csrprogram.dashboard import programme_dashboard
from csrprogram.demo import DEMO_TARGETS
from csrprogram.metrics import Metric, registry
from csrprogram.models import Programme, Target


class StandIn(Metric):
    label = "Stand-in"

    def __init__(self, key):
        self.key = key

    def daily(self, programme, *, start, end):
        return {}


@pytest.fixture
def seed_metrics():
    """Stand-ins for the apps' metrics under the seeds' keys (only those not registered)."""
    added = []
    for key in sorted({key for _p, key, *_rest in DEMO_TARGETS}):
        if key not in registry:
            registry.register(StandIn(key))
            added.append(key)
    yield
    for key in added:
        registry.unregister(key)


def test_demo_seeds_the_targets_of_the_seeds_once(db, seed_metrics):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    strategy = Programme.objects.get(name="CSR Strategi 2017")
    targets = {(t.metric_key, t.deadline): t for t in strategy.targets.all()}
    assert targets[("certified_companies", dt.date(2017, 12, 31))].value == 100
    assert targets[("certified_companies", dt.date(2018, 12, 31))].value == 150
    assert targets[("internship_places_offered", dt.date(2018, 12, 31))].value == 900
    into_job = targets[("citizens_into_job", dt.date(2018, 12, 31))]
    assert into_job.kind == TargetKind.PERCENTAGE
    assert into_job.reference.metric_key == "citizens_enrolled"
    retention = Programme.objects.get(name__startswith="Fastholdelse")
    assert retention.targets.get(metric_key="retained_at_3_months").value == 30
    # "visiteres 50 ledige jobkandidater": enrolled citizens, not CSR-jobs started.
    assert retention.targets.get(metric_key="citizens_enrolled").value == 50
    assert not retention.targets.filter(metric_key="csr_jobs_started").exists()
    assert Target.objects.filter(programme__in=[strategy, retention]).count() == len(
        DEMO_TARGETS)

    board = programme_dashboard(programme=strategy, as_of=dt.date(2018, 12, 31))
    assert [row.target_value for row in board.rows if
            row.target.metric_key == "citizens_into_job"] == [13]


def test_demo_skips_targets_whose_metric_is_not_registered(db):
    keys = {key for _p, key, *_rest in DEMO_TARGETS}
    registered = {key for key in keys if key in registry}
    call_command("seed_demo", verbosity=0)
    assert set(Target.objects.values_list("metric_key", flat=True)) <= registered
