"""Company contacts by invitation (issue 12, point 1): the consultant invites from the company
page, the emailed one-time link expires, sets a password and lands on the portal; a login can
be the contact of several companies and switch between them; the consultant sees who has
access and revokes it; the contact sees their consultant; all of it in the change history."""

import datetime as dt
import re

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from companies.models import ContactInvitation, ContactPerson
from companies.services import contact_access_revoke, contact_invite, invitation_accept
from csrprogram.choices import Role
from csrprogram.models import User
from tests.certificates.factories import certificate
from tests.companies.factories import CompanyFactory, ContactPersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Blaabaer-Kage-2026"


def _invite(client, alice, company, email="ny@alfa.example"):
    client.force_login(alice)
    response = client.post(reverse("companies:contact-invite", args=[company.pk]),
                           {"name": "Nina Nyborg", "email": email, "job_title": "HR"})
    assert response.status_code == 302
    client.logout()
    body = mail.outbox[-1].body
    return re.search(r"http://\S+/invitation/(\S+)/", body).group(1)


def test_the_invited_contact_sets_a_password_and_lands_on_the_portal(client, alice, company_a):
    token = _invite(client, alice, company_a)
    message = mail.outbox[-1]
    assert message.to == ["ny@alfa.example"]
    assert "Alfa Bageri ApS" in message.subject

    page = client.get(reverse("companies:invitation-accept", args=[token]))
    assert page.status_code == 200
    assert "Vælg en adgangskode" in page.content.decode()
    response = client.post(reverse("companies:invitation-accept", args=[token]),
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:portal")
    portal = client.get(response["Location"])
    assert portal.status_code == 200
    assert portal.context["company"] == company_a
    # Their consultant is the one who invited them.
    assert portal.context["consultant"] == alice
    assert "alice@jobcenter.example" in portal.content.decode()

    user = User.objects.get(email="ny@alfa.example")
    assert user.check_password(NEW_PASSWORD)
    assert set(user.groups.values_list("name", flat=True)) == {Role.COMPANY_CONTACT.value}
    assert ContactPerson.objects.get(user=user).company == company_a
    # The token is never stored, only its hash.
    invitation = ContactInvitation.objects.get()
    assert token not in invitation.token_hash
    assert invitation.accepted_at is not None


def test_a_used_link_is_refused(client, alice, company_a):
    token = _invite(client, alice, company_a)
    url = reverse("companies:invitation-accept", args=[token])
    client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.logout()
    again = client.get(url)
    assert again.status_code == 410
    assert "allerede brugt eller udløbet" in again.content.decode()
    posted = client.post(url, {"password1": "Andet-Kodeord-99", "password2": "Andet-Kodeord-99"})
    assert posted.status_code == 410
    assert User.objects.get(email="ny@alfa.example").check_password(NEW_PASSWORD)
    with pytest.raises(ValidationError):
        invitation_accept(token=token, password="Andet-Kodeord-99")


def test_an_expired_link_is_refused(client, alice, company_a, settings):
    token = _invite(client, alice, company_a)
    url = reverse("companies:invitation-accept", args=[token])
    later = timezone.now() + dt.timedelta(days=settings.CSR_INVITATION_DAYS, seconds=1)
    with time_machine.travel(later, tick=False):
        assert client.get(url).status_code == 410
        response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="ny@alfa.example").exists()


def test_an_unknown_link_and_a_newer_invitation_revoke_the_older_link(client, alice, company_a):
    assert client.get(reverse("companies:invitation-accept",
                              args=["gaet-paa-et-link"])).status_code == 410
    first = _invite(client, alice, company_a)
    second = _invite(client, alice, company_a)
    assert client.get(reverse("companies:invitation-accept", args=[first])).status_code == 410
    assert client.get(reverse("companies:invitation-accept", args=[second])).status_code == 200


def test_a_weak_or_mistyped_password_is_explained_and_nothing_is_saved(client, alice, company_a):
    token = _invite(client, alice, company_a)
    url = reverse("companies:invitation-accept", args=[token])
    weak = client.post(url, {"password1": "12345678901", "password2": "12345678901"})
    assert weak.status_code == 400
    assert weak.context["form"].errors
    mismatch = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "De to adgangskoder er ikke ens." in mismatch.content.decode()
    assert not User.objects.filter(email="ny@alfa.example").exists()
    assert client.get(url).status_code == 200  # still usable


def test_an_existing_account_accepts_while_logged_in(client, alice, carol, company_b):
    token = _invite(client, alice, company_b, email="carol@alfa.example")
    url = reverse("companies:invitation-accept", args=[token])
    assert "Der findes allerede en konto" in client.get(url).content.decode()
    client.force_login(carol)
    response = client.post(url)
    assert response["Location"] == reverse("companies:portal")
    # Carol now is the contact of both companies and acts for the invited one.
    assert client.get(reverse("companies:portal")).context["company"] == company_b
    assert sorted(carol.company_contacts.values_list("company__name", flat=True)) == [
        "Alfa Bageri ApS", "Beta Byg A/S"]


def test_a_contact_of_two_companies_switches_and_never_reaches_a_third(
        client, programme, alice, bob, carol, company_a, company_b):
    company_c = CompanyFactory(name="Gamma Gartneri")
    ContactPersonFactory(company=company_b, user=carol, name="Carol Beta")
    certs = {c: certificate(company=c, programme=programme, leader=bob, consultant=alice)
             for c in (company_a, company_b, company_c)}
    client.force_login(carol)

    def portal():
        """The portal's company and the certificates its request's user may download."""
        response = client.get(reverse("companies:portal"))
        user = response.wsgi_request.user
        return (response.context["company"],
                set(Certificate.objects.restrict(user, "download")))

    assert portal() == (company_a, {certs[company_a]})
    page = client.get(reverse("companies:portal")).content.decode()
    assert "Skift virksomhed" in page
    assert "Gamma Gartneri" not in page

    switch = reverse("companies:company-switch")
    assert client.post(switch, {"company": company_b.pk})["Location"] == reverse(
        "companies:portal")
    assert portal() == (company_b, {certs[company_b]})
    # Never C: the switch refuses it and the reach stays on B.
    assert client.post(switch, {"company": company_c.pk}).status_code == 404
    assert client.post(switch, {"company": "x"}).status_code == 404
    assert portal() == (company_b, {certs[company_b]})
    # Access to B taken away: the session's choice is ignored, back to A.
    carol.company_contacts.filter(company=company_b).update(user=None)
    assert portal() == (company_a, {certs[company_a]})


def test_the_consultant_sees_who_has_access_and_revokes_it(client, alice, carol, company_a):
    token = _invite(client, alice, company_a)
    client.force_login(alice)
    page = client.get(reverse("companies:company-detail", args=[company_a.pk])).content.decode()
    assert "Adgang til virksomhedens side" in page
    assert "Har adgang" in page  # carol
    assert "Inviteret, venter" in page  # Nina
    carol_contact = carol.company_contacts.get()
    response = client.post(reverse("companies:contact-access-revoke",
                                   args=[company_a.pk, carol_contact.pk]))
    assert response.status_code == 302
    nina = ContactPerson.objects.get(email="ny@alfa.example")
    client.post(reverse("companies:contact-access-revoke", args=[company_a.pk, nina.pk]))
    client.logout()
    # Carol's next request has no company any more; Nina's link no longer works.
    client.force_login(User.objects.get(pk=carol.pk))
    assert client.get(reverse("companies:portal")).status_code == 404
    client.logout()
    assert client.get(reverse("companies:invitation-accept", args=[token])).status_code == 410


def test_revoking_a_contact_of_another_company_in_the_url_is_a_404(client, alice, dave,
                                                                   company_a):
    client.force_login(alice)
    response = client.post(reverse("companies:contact-access-revoke",
                                   args=[company_a.pk, dave.company_contacts.get().pk]))
    assert response.status_code == 404
    assert dave.company_contacts.get().user == dave


def test_services_refuse_the_wrong_actor(carol, bob, company_a):
    with pytest.raises(PermissionDenied):
        contact_invite(actor=carol, company=company_a, name="X", email="x@alfa.example")
    with pytest.raises(PermissionDenied):
        contact_access_revoke(actor=bob, contact=carol.company_contacts.get())


def test_invitation_acceptance_and_revocation_are_in_the_change_history(client, alice, carol,
                                                                       company_a):
    token = _invite(client, alice, company_a)
    client.post(reverse("companies:invitation-accept", args=[token]),
                {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.force_login(alice)
    client.post(reverse("companies:contact-access-revoke",
                        args=[company_a.pk, carol.company_contacts.get().pk]))
    invitation = ContactInvitation.objects.get()
    entries = LogEntry.objects.get_for_object(invitation)
    assert entries.filter(action=LogEntry.Action.CREATE, actor=alice).exists()
    accepted = entries.filter(action=LogEntry.Action.UPDATE).get()
    assert "accepted_at" in accepted.changes_dict
    assert "token_hash" not in str(entries.values_list("changes", flat=True))
    revoked = LogEntry.objects.get_for_object(ContactPerson.objects.get(pk=carol.company_contacts
                                              .model.objects.get(name="Carol Alfa").pk))
    assert revoked.filter(action=LogEntry.Action.UPDATE, actor=alice).exists()
