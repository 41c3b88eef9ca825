"""Query budgets of the targets list, the reports list and the consultant's own figures."""

import datetime as dt

import pytest
from django.urls import reverse

from csrprogram.choices import TargetKind
from csrprogram.models import ReportJob
from tests.csrprogram.factories import TargetFactory
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.usefixtures("test_metrics")


def _add_targets(programme):
    deadlines = iter(dt.date(2017, 7, 1) + dt.timedelta(days=n) for n in range(500))

    def add(count):
        for _ in range(count):
            base = TargetFactory(programme=programme, deadline=next(deadlines))
            TargetFactory(programme=programme, kind=TargetKind.PERCENTAGE, value=25,
                          reference=base, metric_key="test_users_joined",
                          deadline=next(deadlines))
    return add


def test_target_list_budget(client, bob, programme):
    client.force_login(bob)
    assert_query_budget(client, reverse("target-list", args=[programme.pk]),
                        add_rows=_add_targets(programme), budget=6)


def test_my_figures_budget(client, alice, programme):
    client.force_login(alice)
    assert_query_budget(client, reverse("programme-my-figures", args=[programme.pk]),
                        add_rows=_add_targets(programme), budget=7)


def test_report_list_budget(client, bob, programme):
    client.force_login(bob)

    def add(count):
        for _ in range(count):
            ReportJob.objects.create(programme=programme, requested_by=bob,
                                     as_of=dt.date(2018, 1, 1))

    assert_query_budget(client, reverse("report-list", args=[programme.pk]), add_rows=add,
                        budget=7)
