"""Part 4 of issue 16: no CPR in a URL, no personal data in the web server's log or a cache."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from gunicorn.config import Config

from csrprogram.gunicorn_logging import RedactingLogger
from csrprogram.logging import redact_url
from csrprogram.middleware import has_cpr_shaped_value

pytestmark = pytest.mark.django_db

CPR_FORMS = ["0101901235", "010190-1235", "010190 1235", " 0101901235 "]


@pytest.mark.parametrize("typed", CPR_FORMS)
@pytest.mark.parametrize("url_name", ["citizens:citizen-list", "placements:placement-list",
                                      "followups:visit-list", "companies:company-list"])
def test_a_cpr_shaped_search_on_a_list_is_sent_to_the_lookup_without_echoing_it(
        client, alice, url_name, typed):
    client.force_login(alice)
    response = client.get(reverse(url_name), {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("citizens:citizen-lookup")
    assert "no-store" in response["Cache-Control"]
    page = client.get(response["Location"]).content.decode()
    assert "Et CPR-nummer må ikke stå i en adresse" in page
    for digits in ("0101901235", "1235", "010190"):
        assert digits not in response["Location"]
        assert digits not in page


def test_ordinary_searches_pass(client, alice):
    client.force_login(alice)
    for query in ({"q": "Jensen"}, {"q": "30000013"}, {"enrolled_from": "2017-09-01"}):
        assert client.get(reverse("citizens:citizen-list"), query).status_code == 200


def test_cpr_shape():
    from django.http import QueryDict

    assert has_cpr_shaped_value(QueryDict("a=1&q=010190-1235"))
    assert has_cpr_shaped_value(QueryDict("q=x&q=0101901235"))
    assert not has_cpr_shaped_value(QueryDict("q=30000013&d=2017-09-01&p=12345678901"))


def test_every_page_behind_the_login_is_no_store_and_public_pages_are_not(client, alice,
                                                                          carol):
    client.force_login(alice)
    for url in (reverse("home"), reverse("citizens:citizen-list"),
                reverse("placements:placement-list")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control
    client.force_login(carol)
    assert "no-store" in client.get(reverse("placements:portal-opening-list"))["Cache-Control"]
    client.logout()
    assert "no-store" not in client.get(reverse("health")).get("Cache-Control", "")


def test_the_search_script_is_static_and_the_lookup_form_is_only_there_for_staff(
        client, alice, carol):
    assert finders.find("js/cpr-search.js")
    client.force_login(alice)
    page = client.get(reverse("citizens:citizen-list")).content.decode()
    assert "/static/js/cpr-search." in page
    assert 'id="cpr-lookup-post"' in page
    assert f'action="{reverse("citizens:citizen-lookup")}"' in page
    assert "<script>" not in page  # the CSP forbids inline scripts
    client.force_login(carol)
    page = client.get(reverse("placements:portal-opening-list")).content.decode()
    assert 'id="cpr-lookup-post"' not in page


@pytest.mark.parametrize(("url", "logged"), [
    ("/borgere/?q=Karen+Hansen&page=2", "/borgere/?[skjult]"),
    ("/admin/citizens/citizen/?q=Karen", "/admin/citizens/citizen/?[skjult]"),
    ("/opfoelgning/?q=Jens", "/opfoelgning/?[skjult]"),
    ("/borgere/", "/borgere/"),
    ("/virksomheder/?q=Bageri", "/virksomheder/?q=Bageri"),
    ("/virksomheder/?q=010190-1235", "/virksomheder/?q=010190-XXXX"),
    ("/kalender/abcDEF123_secret.ics", "/kalender/[skjult].ics"),
    ("https://csr.kommune.dk/borgere/?q=Jens", "https://csr.kommune.dk/borgere/?[skjult]"),
    ("-", "-"),
])
def test_redact_url(url, logged):
    assert redact_url(url) == logged


def test_the_web_servers_access_log_line_has_no_personal_data():
    config = Config()
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s')
    logger = RedactingLogger(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/borgere/?q=0101901235",
               "PATH_INFO": "/borgere/", "QUERY_STRING": "q=0101901235",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": "https://csr.kommune.dk/borgere/?q=Karen+Hansen"}
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"]),
                                       ("COOKIE", "sessionid=secret")])
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=5))
    line = logger.cfg.access_log_format % atoms
    assert line == ('10.0.0.1 "GET /borgere/?[skjult] HTTP/1.1" 302 '
                    '"https://csr.kommune.dk/borgere/?[skjult]" /borgere/ [skjult]')
    assert "Karen" not in str(atoms)
    assert "0101901235" not in str(atoms)
    assert "secret" not in str(atoms)
