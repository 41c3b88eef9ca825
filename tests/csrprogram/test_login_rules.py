"""Login rules of issue 12: idle and absolute session limits (frozen time), the session cookie
that dies with the browser, password reset throttling, logout everywhere on a password change,
the client's address behind a trusted proxy, the health check under production settings, and
two-factor enforcement for team leaders and administrators."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from csrprogram.client_ip import client_ip
from tests.csrprogram.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

@pytest.fixture
def cache_clear():
    """The rate limits count in the cache (the test Redis), shared with earlier tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()  # nor do this test's counters reach later tests


START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _log_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content
    return response


# --- Sessions -------------------------------------------------------------------------------------
@pytest.mark.session_limits
def test_idle_session_ends_after_thirty_minutes_and_activity_keeps_it(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, alice)
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # activity
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=30))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"]).content.decode()
    assert "ikke har brugt siden" in page


@pytest.mark.session_limits
def test_the_warning_check_is_not_activity_but_the_stay_button_is(client, alice):
    url = reverse("session-keepalive")
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, alice)
        traveller.shift(dt.timedelta(minutes=20))
        passive = client.get(url, headers={"X-CSR-Session-Passive": "1"}).json()
        assert passive == {"idle_seconds_left": 600, "ended": False}
        assert client.get(url).json()["idle_seconds_left"] == 1800
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.session_limits
def test_idle_limit_is_configurable(client, alice, settings):
    settings.CSR_SESSION_IDLE_SECONDS = 300
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, alice)
        traveller.shift(dt.timedelta(minutes=5))
        assert client.get(reverse("home")).status_code == 302


@pytest.mark.session_limits
def test_absolute_limit_of_twelve_hours_even_with_activity(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        _log_in(client, alice)
        for _ in range(11 * 4 + 3):  # a request every 15 minutes for 11 h 45 min
            traveller.shift(dt.timedelta(minutes=15))
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=15))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "mange timer" in client.get(response["Location"]).content.decode()


def test_session_cookie_ends_when_the_browser_closes(client, alice):
    response = _log_in(client, alice)
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_the_idle_warning_is_on_every_page_for_a_logged_in_user(client, alice):
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert 'id="session-timeout"' in page
    assert 'data-idle-seconds="' in page
    assert "js/session-timeout." in page
    client.logout()
    assert 'id="session-timeout"' not in client.get(reverse("login")).content.decode()


# --- Password reset and change --------------------------------------------------------------------
def _reset(client, email, ip="198.51.100.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_is_throttled_per_address_with_a_danish_message(client, alice, settings,
                                                                       cache_clear):
    settings.CSR_PASSWORD_RESET_RATE = "3/h"
    for n in range(3):
        assert _reset(client, alice.email, ip=f"198.51.100.{n}").status_code == 302
    refused = _reset(client, alice.email.upper(), ip="198.51.100.99")
    assert refused.status_code == 429
    assert "for mange nulstillinger" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_password_reset_is_throttled_per_client(client, alice, bob, carol, dave, settings,
                                                cache_clear):
    settings.CSR_PASSWORD_RESET_RATE = "3/h"
    for user in (alice, bob, carol):
        assert _reset(client, user.email).status_code == 302
    assert _reset(client, dave.email).status_code == 429
    assert _reset(client, dave.email, ip="203.0.113.5").status_code == 302
    assert len(mail.outbox) == 4


def test_a_password_change_logs_out_every_other_session(client, alice):
    from django.test import Client

    other = Client()
    other.force_login(alice)
    assert other.get(reverse("home")).status_code == 200
    client.force_login(alice)
    response = client.post(reverse("password_change"), {
        "old_password": TEST_PASSWORD, "new_password1": "Nyt-Kodeord-2026!",
        "new_password2": "Nyt-Kodeord-2026!"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # this session stays
    assert other.get(reverse("home")).status_code == 302  # the other one is gone


# --- Behind a proxy -------------------------------------------------------------------------------
@pytest.mark.parametrize(("trusted", "peer", "forwarded", "expected"), [
    ([], "10.0.0.5", "203.0.113.9", "10.0.0.5"),  # no trusted proxy: the header is ignored
    (["10.0.0.5"], "10.0.0.5", "203.0.113.9", "203.0.113.9"),
    (["10.0.0.0/24"], "10.0.0.5", "198.51.100.1, 203.0.113.9", "203.0.113.9"),
    (["10.0.0.5"], "192.0.2.66", "203.0.113.9", "192.0.2.66"),  # untrusted peer forges
    # Two trusted hops: the client is the first untrusted address from the right.
    (["10.0.0.5", "10.0.1.7"], "10.0.0.5", "1.2.3.4, 203.0.113.9, 10.0.1.7", "203.0.113.9"),
    (["10.0.0.5"], "10.0.0.5", "not-an-ip", "10.0.0.5"),
    (["10.0.0.5"], "10.0.0.5", "", "10.0.0.5"),
    (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
])
def test_client_address_trusts_the_header_only_from_a_trusted_proxy(settings, trusted, peer,
                                                                     forwarded, expected):
    settings.CSR_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_and_rate_limits_use_the_resolved_address(settings):
    from axes.helpers import get_client_ip_address
    from django_ratelimit.core import _get_ip

    settings.CSR_TRUSTED_PROXIES = ["10.0.0.5"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5",
                                   HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert get_client_ip_address(request) == "203.0.113.9"
    assert str(_get_ip(request)).startswith("203.0.113.9")


def test_axes_locks_out_one_forwarded_client_not_everyone_behind_the_proxy(client, alice,
                                                                           settings):
    settings.CSR_TRUSTED_PROXIES = ["10.0.0.5"]
    settings.AXES_LOCKOUT_PARAMETERS = ["ip_address"]

    def attempt(forwarded, password="forkert-kodeord"):  # noqa: S107
        return client.post(reverse("login"), {"username": alice.email, "password": password},
                           REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("203.0.113.9")
    assert attempt("203.0.113.9", TEST_PASSWORD).status_code == 429
    assert attempt("198.51.100.1", TEST_PASSWORD).status_code == 302


def test_health_check_passes_under_production_settings(client, settings):
    """As the compose health check asks it: plain HTTP to 127.0.0.1:8000 with the public
    host name in ALLOWED_HOSTS only and HTTPS redirects on."""
    settings.ALLOWED_HOSTS = ["csr.randers.dk"]
    settings.SECURE_SSL_REDIRECT = True
    settings.DEBUG = False
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.content == b"ok"
    # Everything else keeps both protections.
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/", HTTP_HOST="csr.randers.dk").status_code == 301


# --- Two-factor -----------------------------------------------------------------------------------
def _unthrottle(user) -> None:
    """django-otp makes every device of the user wait after a wrong code (1 s, doubling): the
    test's next, right, code comes sooner than a person's would."""
    from django_otp.plugins.otp_static.models import StaticDevice

    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_count=0,
                                               throttling_failure_timestamp=None)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.two_factor
@pytest.mark.parametrize("who", ["bob", "erin"])
def test_team_leaders_and_administrators_must_enrol_and_then_verify(client, request, who):
    user = request.getfixturevalue(who)
    _log_in(client, user)
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("two-factor-setup"))
    setup = client.get(home["Location"])
    assert "Scan QR-koden" in setup.content.decode()
    assert setup.context["qr"].startswith("data:image/svg+xml;base64,")
    device = TOTPDevice.objects.get(user=user)
    wrong = client.post(reverse("two-factor-setup"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "Koden passer ikke" in wrong.content.decode()
    _unthrottle(user)
    done = client.post(reverse("two-factor-setup"), {"code": _code(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("home")).status_code == 200

    # The next login asks for a code; a recovery code works once.
    client.logout()
    _log_in(client, user)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two-factor-verify"))
    assert client.get(reverse("programme-list")).status_code == 302
    assert client.post(reverse("two-factor-verify"), {"code": "123456"}).status_code == 400
    _unthrottle(user)
    response = client.post(reverse("two-factor-verify"), {"code": codes[0], "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    _log_in(client, user)
    assert client.post(reverse("two-factor-verify"), {"code": codes[0]}).status_code == 400
    _unthrottle(user)
    assert client.post(reverse("two-factor-verify"),
                       {"code": codes[1].upper()}).status_code == 302


@pytest.mark.two_factor
def test_consultants_and_contacts_need_no_second_factor(client, alice, carol):
    _log_in(client, alice)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    _log_in(client, carol)
    assert client.get(reverse("companies:portal")).status_code == 200


@pytest.mark.two_factor
def test_an_unverified_leader_reaches_only_the_two_factor_pages_and_logout(client, bob):
    _log_in(client, bob)
    for url in (reverse("programme-list"), reverse("admin:index"), reverse("password_change")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two-factor-setup"))
    assert client.post(reverse("logout")).status_code == 302
