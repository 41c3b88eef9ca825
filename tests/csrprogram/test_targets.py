"""Targets: validation with clear Danish messages, percentage rounding, and the CRUD views."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csrprogram import services
from csrprogram.choices import PercentageBasis, TargetKind
from csrprogram.dashboard import programme_dashboard
from csrprogram.models import Target
from tests.csrprogram.factories import ProgrammeFactory

pytestmark = pytest.mark.usefixtures("test_metrics")

METRIC = "test_companies_registered"
END_2017 = dt.date(2017, 12, 31)
END_2018 = dt.date(2018, 12, 31)


def _create(programme, **kwargs):
    values = {"programme": programme, "metric_key": METRIC, "value": 10, "deadline": END_2017}
    values.update(kwargs)
    return services.target_create(actor=None, **values)


def _messages(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict[field])


@pytest.mark.parametrize(("percent", "base", "expected"), [
    (25, 50, 13),      # the seed: 25 % of 50 citizens is 12.5, rounded up to 13
    (20, 50, 10),      # exact: no rounding up of a whole number
    (Decimal("0.5"), 100, 1),
    (1, 1, 1),         # 0.01 is rounded up to 1
    (0, 50, 0),
    (150, 10, 15),
])
def test_percentage_target_is_rounded_up(programme, percent, base, expected):
    reference = _create(programme, metric_key="test_users_joined", value=base,
                        deadline=END_2018)
    target = _create(programme, kind=TargetKind.PERCENTAGE, value=percent,
                     reference=reference, deadline=END_2018)
    # The one place a percentage target is resolved: the dashboard.
    board = programme_dashboard(programme=programme, as_of=END_2018)
    assert [row.target_value for row in board.rows if row.target == target] == [expected]


def test_milestones_of_one_metric_are_separate_targets(programme):
    _create(programme, value=100, deadline=END_2017)
    _create(programme, value=150, deadline=END_2018)
    assert list(programme.targets.order_by("deadline").values_list("value", flat=True)) == [
        100, 150]


def test_unknown_metric_is_refused_in_danish_and_nothing_is_saved(programme):
    with pytest.raises(ValidationError) as error:
        _create(programme, metric_key="no_such_metric")
    assert "Nøgletallet »no_such_metric« findes ikke" in _messages(error, "metric_key")
    assert Target.objects.count() == 0


def test_negative_value_is_refused(programme):
    with pytest.raises(ValidationError) as error:
        _create(programme, value=-1)
    assert "Værdien må ikke være negativ." in _messages(error, "value")
    assert Target.objects.count() == 0


def test_absolute_target_must_be_whole(programme):
    with pytest.raises(ValidationError) as error:
        _create(programme, value=Decimal("10.5"))
    assert "Et absolut måltal skal være et helt tal." in _messages(error, "value")


@pytest.mark.parametrize("deadline", [dt.date(2017, 6, 18), dt.date(2019, 1, 1)])
def test_deadline_outside_the_programme_period_is_refused(programme, deadline):
    with pytest.raises(ValidationError) as error:
        _create(programme, deadline=deadline)
    assert ("Fristen skal ligge i programmets periode (19.06.2017 – 31.12.2018)."
            in _messages(error, "deadline"))
    assert Target.objects.count() == 0


@pytest.mark.parametrize("deadline", [dt.date(2017, 6, 19), dt.date(2018, 12, 31)])
def test_deadline_on_the_first_and_last_day_of_the_period_is_allowed(programme, deadline):
    assert _create(programme, deadline=deadline).pk


def test_percentage_needs_a_reference(programme):
    with pytest.raises(ValidationError) as error:
        _create(programme, kind=TargetKind.PERCENTAGE, value=25)
    assert "Vælg det måltal, procentsatsen regnes af." in _messages(error, "reference")


def test_percentage_target_cannot_refer_to_itself(programme):
    target = _create(programme, kind=TargetKind.ABSOLUTE, value=50)
    with pytest.raises(ValidationError) as error:
        services.target_update(target=target, actor=None, data={"kind": TargetKind.PERCENTAGE,
                                                    "reference": target, "value": 25})
    assert "Et måltal kan ikke være en procentdel af sig selv." in _messages(error, "reference")
    target.refresh_from_db()
    assert (target.kind, target.reference_id, target.value) == (TargetKind.ABSOLUTE, None, 50)


def test_percentage_targets_cannot_form_a_cycle(programme):
    base = _create(programme, value=50, metric_key="test_users_joined", deadline=END_2018)
    first = _create(programme, kind=TargetKind.PERCENTAGE, value=25, reference=base)
    second = _create(programme, kind=TargetKind.PERCENTAGE, value=50, reference=first,
                     deadline=END_2018)
    with pytest.raises(ValidationError) as error:
        services.target_update(target=base, actor=None, data={"kind": TargetKind.PERCENTAGE,
                                                  "reference": second, "value": 10})
    assert "Måltallene må ikke henvise til hinanden i ring." in _messages(error, "reference")
    base.refresh_from_db()
    assert base.reference_id is None


def test_reference_must_belong_to_the_same_programme(programme):
    other = _create(ProgrammeFactory(), value=50)
    with pytest.raises(ValidationError) as error:
        _create(programme, kind=TargetKind.PERCENTAGE, value=25, reference=other)
    assert "Måltallet skal høre til samme program." in _messages(error, "reference")


def test_same_metric_and_deadline_twice_is_refused(programme):
    _create(programme)
    with pytest.raises(ValidationError) as error:
        _create(programme, value=20)
    assert "allerede et måltal for dette nøgletal med samme frist" in str(error.value)
    assert Target.objects.count() == 1


def test_a_referenced_target_cannot_be_deleted(programme):
    base = _create(programme, value=50)
    _create(programme, kind=TargetKind.PERCENTAGE, value=25, reference=base, deadline=END_2018,
            basis=PercentageBasis.ACTUAL)
    with pytest.raises(ValidationError, match="procentmål regnes af det"):
        services.target_delete(target=base, actor=None)
    assert Target.objects.count() == 2


# --- Views ----------------------------------------------------------------------------------------


def _form(**overrides):
    data = {"metric_key": METRIC, "kind": TargetKind.ABSOLUTE, "value": "100",
            "reference": "", "basis": PercentageBasis.TARGET, "deadline": "2017-12-31",
            "note": ""}
    data.update(overrides)
    return data


def test_team_leader_creates_edits_and_deletes_a_target(client, bob, programme):
    client.force_login(bob)
    response = client.post(reverse("target-create", args=[programme.pk]), _form())
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.metric_key, target.value, target.deadline) == (METRIC, 100, END_2017)

    response = client.post(reverse("target-update", args=[programme.pk, target.pk]),
                           _form(value="150", deadline="2018-12-31"))
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.deadline) == (150, END_2018)

    listing = client.get(reverse("target-list", args=[programme.pk])).content.decode()
    assert "Registrerede virksomheder" in listing

    response = client.post(reverse("target-delete", args=[programme.pk, target.pk]))
    assert response.status_code == 302
    assert not Target.objects.exists()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"metric_key": "no_such_metric"}, "Nøgletallet »no_such_metric« findes ikke"),
    ({"value": "-5"}, "Værdien må ikke være negativ."),
    ({"deadline": "2019-01-01"}, "Fristen skal ligge i programmets periode"),
    ({"kind": TargetKind.PERCENTAGE, "value": "25"}, "Vælg det måltal, procentsatsen regnes af."),
])
def test_bad_input_in_the_form_gets_a_danish_message_and_saves_nothing(
        client, bob, programme, overrides, message):
    client.force_login(bob)
    response = client.post(reverse("target-create", args=[programme.pk]), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_form_refuses_a_self_reference(client, bob, programme):
    target = _create(programme, value=50)
    client.force_login(bob)
    response = client.post(reverse("target-update", args=[programme.pk, target.pk]),
                           _form(kind=TargetKind.PERCENTAGE, value="25",
                                 reference=str(target.pk)))
    assert response.status_code == 200
    assert "et måltal kan ikke henvise til sig selv" in response.content.decode()
    target.refresh_from_db()
    assert target.kind == TargetKind.ABSOLUTE


def test_deleting_a_referenced_target_in_the_view_explains_why(client, bob, programme):
    base = _create(programme, value=50)
    _create(programme, kind=TargetKind.PERCENTAGE, value=25, reference=base, deadline=END_2018)
    client.force_login(bob)
    response = client.post(reverse("target-delete", args=[programme.pk, base.pk]), follow=True)
    assert "procentmål regnes af det" in response.content.decode()
    assert Target.objects.count() == 2


def test_consultant_reads_targets_but_has_no_edit_links(client, alice, programme):
    _create(programme, value=50)
    client.force_login(alice)
    html = client.get(reverse("target-list", args=[programme.pk])).content.decode()
    assert "Registrerede virksomheder" in html
    assert reverse("target-create", args=[programme.pk]) not in html


def test_target_of_another_programme_is_a_404(client, bob, programme):
    other = _create(ProgrammeFactory(), value=50)
    client.force_login(bob)
    response = client.get(reverse("target-update", args=[programme.pk, other.pk]))
    assert response.status_code == 404


def test_programme_period_cannot_shrink_past_a_target(programme):
    _create(programme, deadline=END_2018)
    with pytest.raises(ValidationError, match="frist uden for den nye periode"):
        services.programme_update(programme=programme, actor=None,
                                  data={"ends_on": dt.date(2018, 6, 30)})
    programme.refresh_from_db()
    assert programme.ends_on == END_2018


def test_administrator_sees_the_dashboard_and_edits_targets(client, erin, programme):
    client.force_login(erin)
    assert client.get(reverse("programme-dashboard", args=[programme.pk])).status_code == 200
    response = client.post(reverse("target-create", args=[programme.pk]), _form())
    assert response.status_code == 302
    assert Target.objects.filter(programme=programme).count() == 1
