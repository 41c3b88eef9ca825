"""A consultant invites a company contact; the contact opens the email's link, sets a password
and lands on the portal (issue 12), in real Chromium with axe-core scans."""

import os
import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from csrprogram.choices import Role
from tests.browser.helpers import log_out
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.companies.factories import CompanyFactory
from tests.csrprogram.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_invites_and_the_contact_reaches_the_portal(live_server, page: Page):
    consultant = UserFactory(email="konsulent@jobcenter.example", first_name="Karin",
                             last_name="Konsulent", roles=[Role.CONSULTANT])
    company = CompanyFactory(name="Alfa Bageri ApS")

    log_in(page, live_server.url, consultant.email)
    page.goto(f"{live_server.url}/virksomheder/{company.pk}/")
    page.get_by_role("link", name="Inviter kontaktperson").click()
    assert_accessible(page)
    page.get_by_label("Navn").fill("Nina Nyborg")
    page.get_by_label("E-mail").fill("nina@alfa.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitationen er sendt til nina@alfa.example.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Inviteret, venter"))).to_be_visible()
    assert_accessible(page)
    log_out(page)

    link = re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    # The email's link carries CSR_SITE_URL; the same path on the test server.
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    expect(page.get_by_role("heading", name="Tag imod invitationen")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_password1").fill("Blaabaer-Kage-2026")
    page.get_by_label("Gentag adgangskoden").fill("Blaabaer-Kage-2026")
    page.get_by_role("button", name="Gem adgangskode og fortsæt").click()

    expect(page.get_by_role("heading", name="Alfa Bageri ApS")).to_be_visible()
    expect(page.get_by_text("Karin Konsulent")).to_be_visible()
    assert_accessible(page)
    folder = os.environ.get("INVITATION_SCREENSHOTS")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        if folder:
            page.screenshot(path=f"{folder}/portal_{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
