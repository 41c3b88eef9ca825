import datetime as dt

from csrprogram.metrics import registry
from followups import services
from followups.choices import MatchQuality, VisitKind
from placements import services as placement_services
from placements.choices import PlacementOutcome

D = dt.date
HALF = VisitKind.HALF_MONTH


def _started(start_placement, count, start_date):
    return [start_placement(start_date=start_date, name=f"Borger {n}") for n in range(count)]


def test_retention_metrics_count_closings_and_the_share(start_placement, programme, alice):
    placements = _started(start_placement, 5, D(2022, 1, 31))
    for placement in placements[:2]:
        placement_services.placement_end(placement=placement, end_date=D(2022, 3, 1),
                                         outcome=PlacementOutcome.DROPPED_OUT, actor=alice)
    services.placements_close_due(today=D(2022, 5, 1))
    retained = registry.get("retained_at_3_months")
    share = registry.get("share_retained")
    period = {"start": D(2022, 1, 1), "end": D(2022, 12, 31)}
    # Candidates count on their CSR-job's start date, once the closing has recorded them.
    assert retained.daily(programme, **period) == {D(2022, 1, 31): 3}
    assert retained.count(programme, **period) == 3
    assert share.count(programme, **period) == 60
    assert share.ratio(programme, **period) == (3, 5)
    assert share.daily(programme, **period) == {D(2022, 1, 31): 3}
    assert registry.get("closed_at_3_months").daily(programme, **period) == {
        D(2022, 1, 31): 5}
    assert share.count(programme, start=D(2023, 1, 1), end=D(2023, 12, 31)) == 0


def test_followups_on_time_counts_visits_done_by_the_due_date_plus_tolerance(
        start_placement, programme, alice, settings):
    settings.FOLLOWUP_ON_TIME_TOLERANCE_WORKING_DAYS = 5
    # Due Tuesday 15 February 2022; five working days later is Tuesday 22 February.
    on_time, late, extra_start = _started(start_placement, 3, D(2022, 1, 31))
    for placement, done_on in ((on_time, D(2022, 2, 22)), (late, D(2022, 2, 23))):
        services.visit_record(visit=placement.visits.get(kind=HALF), actor=alice,
                              done_on=done_on, match_quality=MatchQuality.GOOD,
                              today=D(2022, 3, 1))
    extra = services.visit_add_extra(placement=extra_start, actor=alice,
                                     due_date=D(2022, 2, 20), today=D(2022, 2, 1))
    services.visit_record(visit=extra, actor=alice, done_on=D(2022, 2, 21),
                          match_quality=MatchQuality.GOOD, today=D(2022, 3, 1))
    metric = registry.get("followups_on_time")
    assert metric.daily(programme, start=D(2022, 1, 1), end=D(2022, 12, 31)) == {
        D(2022, 2, 22): 1}
    assert "period=done" in metric.records_url(programme, start=D(2022, 1, 1),
                                               end=D(2022, 12, 31))


def test_followups_on_time_counts_working_days_across_easter(
        start_placement, programme, alice, settings):
    settings.FOLLOWUP_ON_TIME_TOLERANCE_WORKING_DAYS = 5
    # Due Wednesday 13 April 2022. Maundy Thursday, Good Friday and Easter Monday are public
    # holidays: five working days later is Monday 25 April (without holidays a Wednesday's
    # due date gives the following Wednesday).
    on_time, late = _started(start_placement, 2, D(2022, 3, 29))
    assert on_time.visits.get(kind=HALF).due_date == D(2022, 4, 13)
    for placement, done_on in ((on_time, D(2022, 4, 25)), (late, D(2022, 4, 26))):
        services.visit_record(visit=placement.visits.get(kind=HALF), actor=alice,
                              done_on=done_on, match_quality=MatchQuality.GOOD,
                              today=D(2022, 5, 1))
    metric = registry.get("followups_on_time")
    assert metric.daily(programme, start=D(2022, 1, 1), end=D(2022, 12, 31)) == {
        D(2022, 4, 25): 1}
    # A range that starts after the due date still knows the holiday.
    assert metric.daily(programme, start=D(2022, 4, 25), end=D(2022, 4, 30)) == {
        D(2022, 4, 25): 1}
