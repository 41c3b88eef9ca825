"""The home page follows the user's abilities; the administrator has one of their own."""

import datetime as dt

from django.utils import timezone

from csrprogram.models import WorkerHeartbeat
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.csrprogram.factories import UserFactory


def test_administrator_home_shows_users_programmes_and_the_worker(client, erin, alice, bob,
                                                                   programme):
    WorkerHeartbeat.objects.create(pk=1, last_seen=timezone.now())
    client.force_login(erin)
    html = client.get("/").content.decode()
    assert "Din konto har endnu ingen rolle" not in html
    assert "Brugere pr. rolle" in html
    assert "Baggrundsprocessen kører." in html
    assert programme.name in html
    assert "/admin/csrprogram/user/" in html


def test_a_stale_heartbeat_is_shown_as_a_problem(client, erin):
    WorkerHeartbeat.objects.create(pk=1, last_seen=timezone.now() - dt.timedelta(hours=2))
    client.force_login(erin)
    assert "Baggrundsprocessen svarer ikke." in client.get("/").content.decode()


def test_other_roles_do_not_get_the_administration(client, alice, bob):
    for user in (alice, bob):
        client.force_login(user)
        assert "Brugere pr. rolle" not in client.get("/").content.decode()


def test_an_account_without_a_role_is_told_so(client, db):
    client.force_login(UserFactory())
    assert "Din konto har endnu ingen rolle" in client.get("/").content.decode()


def test_the_administrator_may_edit_citizens_on_the_list_and_the_detail_page(client, erin,
                                                                               programme):
    """Both pages ask the policy (the list used to leave the administrator out)."""
    citizen = CitizenFactory()
    EnrolmentFactory(citizen=citizen, programme=programme)
    client.force_login(erin)
    assert "/borgere/ny/" in client.get("/borgere/").content.decode()
    assert f"/borgere/{citizen.pk}/rediger/" in client.get(
        f"/borgere/{citizen.pk}/").content.decode()
