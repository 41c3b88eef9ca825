"""Emails in the recipient's language, with one greeting and sign-off (issue 13)."""


import pytest
from django.core import mail
from django.urls import reverse

from csrprogram.emails import job_centre_of, language_of, sender_lines
from followups.services import digest_subject
from tests.csrprogram.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_choosing_a_language_stores_it_as_the_user_s_email_language(client, alice):
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "en"


def test_a_password_reset_is_written_in_the_user_s_language_not_the_browser_s(client, alice):
    alice.language = "en"
    alice.save()
    client.post(reverse("password_reset"), {"email": alice.email},
                HTTP_ACCEPT_LANGUAGE="da")
    message = mail.outbox[-1]
    assert message.subject == "Reset your CSR programme password"
    assert message.body.startswith(f"Dear {alice.get_full_name()},")
    assert "Kind regards\nJobcentret" in message.body


def test_the_sender_is_the_programme_and_its_job_centre():
    programme = ProgrammeFactory(name="CSR Nu", municipality="Randers Kommune",
                                 partner_job_centres="")
    assert job_centre_of(programme) == "Jobcenter Randers"
    programme.partner_job_centres = "Jobcenter Favrskov, Jobcenter Norddjurs"
    assert sender_lines(programme) == ["CSR Nu", "Jobcenter Favrskov"]
    assert language_of(None, "en") == "en"
    assert language_of(None, "xx") == "da"


def test_the_digest_subject_counts_overdue_visits_apart():
    assert digest_subject(overdue=1, upcoming=0) == "Opfølgningsbesøg: 1 overskredet"
    assert digest_subject(overdue=2, upcoming=1) == (
        "Opfølgningsbesøg: 2 overskredne, 1 at planlægge")
