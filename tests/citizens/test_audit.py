"""Part 3 of issue 16: the change history (django-auditlog) and the append-only access log."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from citizens.choices import AccessAction
from citizens.models import AccessLog, Citizen
from csrprogram import audit
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import JobOpeningFactory, PlacementFactory

pytestmark = pytest.mark.django_db

RAW = "0101901235"
FORMATTED = "010190-1235"
NEED = "Tåler ikke løft over 10 kg."
OUR_APPS = ("csrprogram", "companies", "certificates", "citizens", "placements", "followups")


def _history_text() -> str:
    return " ".join(f"{entry.object_repr} {entry.changes} {entry.serialized_data}"
                    for entry in LogEntry.objects.all())


def test_every_model_of_ours_is_in_the_change_history_unless_excluded_on_purpose():
    excluded = {label.lower() for label in audit.EXCLUDED_MODELS}
    untracked = [
        model._meta.label for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label_lower not in excluded and not auditlog.contains(model)
    ]
    assert untracked == []
    assert not auditlog.contains(AccessLog)


def test_a_citizen_created_and_changed_on_the_site_is_in_the_history_with_its_actor(
        client, alice, programme):
    client.force_login(alice)
    response = client.post(reverse("citizens:citizen-create"), {
        "name": "Karen Hansen", "cpr": FORMATTED, "target_group": "job_ready",
        "weekly_hours": 20, "accommodation_needs": NEED, "programme": programme.pk,
        "enrolled_on": "2017-09-01"})
    assert response.status_code == 302
    citizen = Citizen.objects.get()
    created = LogEntry.objects.get_for_object(citizen).get()
    assert created.action == LogEntry.Action.CREATE
    assert created.actor == alice
    # The note is recorded as changed, never its contents; no form of the CPR is stored.
    assert created.changes_dict["accommodation_needs"] == ["", audit.NOTE_MASK]
    assert "cpr_encrypted" not in created.changes_dict
    assert "cpr_masked" not in created.changes_dict
    enrolment = citizen.enrolments.get()
    assert LogEntry.objects.get_for_object(enrolment).get().actor == alice

    client.post(reverse("citizens:citizen-update", args=[citizen.pk]), {
        "name": "Karen Holm", "cpr": "", "target_group": "job_ready", "weekly_hours": 25,
        "accommodation_needs": "Korte dage.", "consultant": alice.pk})
    changed = LogEntry.objects.get_for_object(citizen).filter(
        action=LogEntry.Action.UPDATE).get()
    assert changed.actor == alice
    assert changed.changes_dict["name"] == ["Karen Hansen", "Karen Holm"]
    assert changed.changes_dict["weekly_hours"] == ["20", "25"]
    assert changed.changes_dict["accommodation_needs"] == [audit.NOTE_MASK, audit.NOTE_MASK]
    history = _history_text()
    for secret in (RAW, FORMATTED, "010190", NEED, "Korte dage", citizen.cpr_encrypted,
                   citizen.cpr_index):
        assert secret not in history


def test_business_rows_of_other_apps_are_in_the_history(programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a)
    placement = PlacementFactory(opening=opening)
    placement.weekly_hours = 10
    placement.save()
    assert LogEntry.objects.get_for_object(opening).filter(
        action=LogEntry.Action.CREATE).exists()
    assert LogEntry.objects.get_for_object(placement).filter(
        action=LogEntry.Action.UPDATE).get().changes_dict["weekly_hours"] == ["15", "10"]


def test_the_citizen_list_logs_a_read_of_each_citizen_on_the_page_only(
        client, alice, programme, settings):
    shown = [CitizenFactory(name=f"Borger {i:02}", consultant=alice) for i in range(27)]
    for citizen in shown:
        EnrolmentFactory(citizen=citizen, programme=programme)
    client.force_login(alice)
    response = client.get(reverse("citizens:citizen-list"))
    assert response.status_code == 200
    on_page = [c.pk for c in response.context["citizens"]]
    assert len(on_page) == 25
    logged = AccessLog.objects.filter(action=AccessAction.LIST, actor=alice)
    assert sorted(logged.values_list("citizen_id", flat=True)) == sorted(on_page)
    assert set(logged.values_list("purpose", flat=True)) == {"Visning af borgerlisten"}


def test_the_match_page_logs_every_suggested_citizen(client, alice, programme, company_a):
    suggested = CitizenFactory(name="Jens Jensen", consultant=alice, weekly_hours=20)
    EnrolmentFactory(citizen=suggested, programme=programme, enrolled_on=dt.date(2017, 8, 1))
    opening = JobOpeningFactory(programme=programme, company=company_a)
    client.force_login(alice)
    response = client.get(reverse("placements:opening-match", args=[opening.pk]))
    assert [s.citizen for s in response.context["suggestions"]] == [suggested]
    entry = AccessLog.objects.get(citizen=suggested)
    assert (entry.actor, entry.action, entry.purpose) == (
        alice, AccessAction.LIST, "Matchforslag til jobåbning")


def test_the_placement_and_visit_lists_log_the_citizens_shown(client, alice, programme,
                                                               company_a):
    placement = PlacementFactory(opening=JobOpeningFactory(programme=programme,
                                                           company=company_a))
    client.force_login(alice)
    client.get(reverse("placements:placement-list"))
    assert AccessLog.objects.filter(citizen=placement.citizen, action=AccessAction.LIST,
                                    purpose="Visning af forløbslisten").count() == 1


def test_the_admin_logs_views_of_citizens_and_cannot_delete_or_edit_the_log(client, erin,
                                                                             alice):
    citizen = CitizenFactory(name="Jens Jensen", consultant=alice)
    client.force_login(erin)
    assert client.get(reverse("admin:citizens_citizen_changelist")).status_code == 200
    assert AccessLog.objects.filter(citizen=citizen, actor=erin,
                                    action=AccessAction.LIST).count() == 1
    assert client.get(reverse("admin:citizens_citizen_change",
                              args=[citizen.pk])).status_code == 200
    entry = AccessLog.objects.get(citizen=citizen, actor=erin, action=AccessAction.VIEW)
    assert entry.purpose == "Borgeren i administrationen"
    # No delete for the citizen (the log protects it), none for the log, no edit of the log.
    assert client.get(reverse("admin:citizens_citizen_delete",
                              args=[citizen.pk])).status_code == 403
    assert client.get(reverse("admin:citizens_accesslog_delete",
                              args=[entry.pk])).status_code == 403
    response = client.post(reverse("admin:citizens_accesslog_change", args=[entry.pk]),
                           {"purpose": "omskrevet"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.purpose == "Borgeren i administrationen"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_an_access_log_row(alice):
    citizen = CitizenFactory(consultant=alice)
    entry = AccessLog.objects.create(citizen=citizen, actor=alice, action=AccessAction.VIEW,
                                     purpose="Visning af borgerside")
    for attempt in (lambda: AccessLog.objects.filter(pk=entry.pk).update(purpose="x"),
                    lambda: AccessLog.objects.filter(pk=entry.pk).delete(),
                    lambda: AccessLog.objects.filter(pk=entry.pk)._raw_delete(
                        AccessLog.objects.db)):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    entry.refresh_from_db()
    assert entry.purpose == "Visning af borgerside"
