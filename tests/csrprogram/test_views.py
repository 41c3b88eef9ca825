from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from csrprogram.choices import Role
from tests.csrprogram.factories import TEST_PASSWORD


def test_role_groups_and_permissions_come_from_the_data_migration(db):
    groups = {g.name: set(g.permissions.values_list("codename", flat=True))
              for g in Group.objects.all()}
    assert set(groups) >= {role.value for role in Role}
    assert "change_programme" in groups["team_leader"]
    assert "change_programme" not in groups["consultant"]
    assert "add_company" in groups["consultant"]


def test_login_page_is_danish_with_landmarks(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "Log ind" in html
    assert "E-mailadresse" in html


def test_login_with_email_and_the_home_page_per_role(client, alice, bob, carol, programme):
    response = client.post(reverse("login"), {"username": "alice@jobcenter.example",
                                              "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Mit arbejde" in response.content.decode()
    assert programme.name in response.content.decode()

    client.force_login(bob)
    assert "Programmernes mål" in client.get(reverse("home")).content.decode()

    client.force_login(carol)
    html = client.get(reverse("home")).content.decode()
    assert "Min virksomhed" in html
    assert "Alfa Bageri ApS" in html


def test_wrong_password_gets_a_danish_message(client, alice):
    response = client.post(reverse("login"), {"username": "alice@jobcenter.example",
                                              "password": "wrong"})
    assert response.status_code == 200
    assert "Indtast venligst korrekt e-mailadresse og adgangskode" in response.content.decode()


def test_language_switch_to_english(client, alice):
    client.force_login(alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"},
                           follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "My work" in html
    assert "Skip to content" in html


def test_password_reset_sends_a_danish_email(client, alice):
    response = client.post(reverse("password_reset"), {"email": "alice@jobcenter.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Nulstil din adgangskode" in mail.outbox[0].subject
    assert "/konto/nulstil/" in mail.outbox[0].body


def test_team_leader_edits_a_programme_and_bad_dates_are_refused(client, bob, programme):
    client.force_login(bob)
    url = reverse("programme-update", args=[programme.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "members"}
    data.update({"starts_on": "2017-06-19", "ends_on": "2016-01-01", "target_groups": []})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Slutdatoen skal ligge efter startdatoen." in response.content.decode()
    programme.refresh_from_db()
    assert str(programme.ends_on) == "2018-12-31"

    data["ends_on"] = "2019-06-30"
    response = client.post(url, data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert str(programme.ends_on) == "2019-06-30"


def test_consultant_sees_only_programmes_they_work_in(client, alice, programme):
    from tests.csrprogram.factories import ProgrammeFactory
    other = ProgrammeFactory(name="Et andet program")
    client.force_login(alice)
    html = client.get(reverse("programme-list")).content.decode()
    assert programme.name in html
    assert other.name not in html
    assert client.get(reverse("programme-detail", args=[other.pk])).status_code == 404


def test_security_headers(client):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
