import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from certificates.services import certificate_revoke
from tests.certificates.factories import at, certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(programme, alice, bob, private_media):
    return certificate(programme=programme, leader=bob, consultant=alice,
                       issued_at=at(2017, 9, 1))


def public(client, cert, suffix=""):
    return client.get(reverse("certificates:public", args=[cert.public_token]) + suffix)


def test_a_valid_certificate_says_so_in_plain_words_without_login(client, issued):
    with time_machine.travel(at(2018, 3, 1), tick=False):
        response = public(client, issued)
    assert response.status_code == 200
    text = response.content.decode()
    assert (f"Gyldigt: {issued.company.name} har et gyldigt CSR-certifikat til og med "
            "31. august 2018.") in text
    assert issued.company.cvr in text
    assert issued.number in text
    for answer in issued.assessment.answers.filter(is_met=True):
        assert answer.criterion.title_da in text
    assert reverse("certificates:public-pdf", args=[issued.public_token]) in text
    assert reverse("certificates:badge", args=[issued.public_token]) in text


def test_an_expired_certificate_says_expired(client, issued):
    with time_machine.travel(at(2018, 9, 1), tick=False):
        text = public(client, issued).content.decode()
    assert "Udløbet: certifikatet var gyldigt til og med 31. august 2018" in text


def test_a_revoked_certificate_says_revoked_with_the_date(client, issued, bob):
    certificate_revoke(certificate=issued, actor=bob, reason="Konkurs",
                       revoked_at=at(2018, 2, 14))
    with time_machine.travel(at(2018, 3, 1), tick=False):
        response = public(client, issued)
    text = response.content.decode()
    assert "Tilbagekaldt: certifikatet blev tilbagekaldt den 14. februar 2018" in text
    assert "Konkurs" not in text  # the reason is internal
    assert reverse("certificates:public-pdf", args=[issued.public_token]) not in text
    assert client.get(reverse("certificates:public-pdf",
                              args=[issued.public_token])).status_code == 404


def test_the_page_is_english_on_request(client, issued):
    with time_machine.travel(at(2018, 3, 1), tick=False):
        response = client.get(reverse("certificates:public", args=[issued.public_token]),
                              HTTP_ACCEPT_LANGUAGE="en")
    assert "Valid: " in response.content.decode()


@pytest.mark.parametrize("token", ["unknown-token", "x" * 80, "' OR 1=1 --"])
def test_an_unknown_or_tampered_token_is_a_404_with_a_danish_message(client, issued, token):
    response = client.get(reverse("certificates:public", args=[token]))
    assert response.status_code == 404
    assert "Der findes intet CSR-certifikat med denne adresse" in response.content.decode()
    assert client.get(reverse("certificates:badge", args=[token])).status_code == 404
    assert client.get(reverse("certificates:public-pdf", args=[token])).status_code == 404


def test_a_token_with_one_character_changed_is_a_404(client, issued):
    token = issued.public_token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("certificates:public", args=[tampered])).status_code == 404


def test_the_primary_key_does_not_open_the_public_page(client, issued):
    assert client.get(reverse("certificates:public", args=[str(issued.pk)])).status_code == 404


def test_the_pdf_downloads_without_login(client, issued):
    response = client.get(reverse("certificates:public-pdf", args=[issued.public_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="CSR-2017-0001.pdf"' in response["Content-Disposition"]


def test_the_badge_is_an_svg_with_the_live_status(client, issued):
    with time_machine.travel(at(2018, 3, 1), tick=False):
        valid = client.get(reverse("certificates:badge", args=[issued.public_token]))
    with time_machine.travel(at(2018, 9, 1), tick=False):
        expired = client.get(reverse("certificates:badge", args=[issued.public_token]))
    assert valid["Content-Type"].startswith("image/svg+xml")
    assert valid["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "Gyldigt" in valid.content.decode()
    assert "til 31.08.2018" in valid.content.decode()
    assert "Udløbet" in expired.content.decode()


def test_the_public_pages_are_rate_limited(client, issued, settings):
    settings.CSR_PUBLIC_CERTIFICATE_RATE = "3/m"
    statuses = [public(client, issued).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = public(client, issued)
    assert "For mange forespørgsler" in limited.content.decode()
    assert limited["Retry-After"] == "60"


def test_a_renewed_certificate_points_to_its_successor(client, issued, alice, bob):
    from certificates.services import certificate_renew
    from tests.companies.factories import assessment

    newer = assessment(company=issued.company, programme=issued.programme, by=alice, met=3,
                       assessed_on=dt.date(2018, 8, 1))
    with time_machine.travel(at(2018, 8, 2), tick=False):
        renewed = certificate_renew(certificate=issued, assessment=newer, actor=bob)
        text = public(client, issued).content.decode()
    assert "Erstattet: certifikatet blev fornyet den 2. august 2018" in text
    assert reverse("certificates:public", args=[renewed.public_token]) in text


def test_badge_and_page_revalidate_so_a_revocation_shows_at_once(client, issued, bob):
    badge_url = reverse("certificates:badge", args=[issued.public_token])
    with time_machine.travel(at(2018, 3, 1), tick=False):
        badge = client.get(badge_url)
        page = public(client, issued)
        assert "Gyldigt" in badge.content.decode()
        assert badge["Cache-Control"] == "no-cache, max-age=0, public"
        assert page["Cache-Control"] == "no-cache, max-age=0, private"
        # Unchanged: a cache asking again gets a 304 and keeps its copy.
        again = client.get(badge_url, HTTP_IF_NONE_MATCH=badge["ETag"])
        assert again.status_code == 304
        certificate_revoke(certificate=issued, actor=bob, reason="Konkurs")
        # Revoked: the cache's copy no longer matches, and the new status comes back.
        revoked = client.get(badge_url, HTTP_IF_NONE_MATCH=badge["ETag"])
        page = public(client, issued)
    assert revoked.status_code == 200
    assert "Tilbagekaldt" in revoked.content.decode()
    assert "Gyldigt" not in revoked.content.decode()
    assert revoked["ETag"] != badge["ETag"]
    assert "Tilbagekaldt: certifikatet blev tilbagekaldt" in page.content.decode()


def test_the_badge_turns_expired_the_day_after_its_last_valid_day(client, issued):
    badge_url = reverse("certificates:badge", args=[issued.public_token])
    with time_machine.travel(at(2018, 8, 31), tick=False):
        valid = client.get(badge_url)
    with time_machine.travel(at(2018, 9, 1), tick=False):
        expired = client.get(badge_url, HTTP_IF_NONE_MATCH=valid["ETag"])
    assert expired.status_code == 200
    assert "Udløbet" in expired.content.decode()
