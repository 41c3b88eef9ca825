"""The certification path in real Chromium: a consultant registers and assesses a company, a
team leader issues the certificate, the public page shows it valid, the company contact sees
it in the portal."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from companies.models import Company, ContactPerson
from csrprogram.choices import Role
from tests.browser.helpers import log_out
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.companies.factories import CsrCriterionFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_assesses_team_leader_issues_public_and_portal_show_it(live_server,
                                                                        page: Page):
    from django.core.cache import cache

    cache.clear()
    consultant = UserFactory(email="mette@jobcenter.example", roles=[Role.CONSULTANT])
    leader = UserFactory(email="hanne@jobcenter.example", roles=[Role.TEAM_LEADER])
    contact = UserFactory(email="peter@alfa.example", roles=[Role.COMPANY_CONTACT])
    # A programme running today: the assessment is dated today, inside the programme's period.
    today = timezone.localdate()
    ProgrammeFactory(name="CSR Strategi", members=[consultant, leader],
                     starts_on=today - dt.timedelta(days=180),
                     ends_on=today + dt.timedelta(days=365))
    criteria = [CsrCriterionFactory(title_da=title, title_en=title) for title in (
        "Tilbyder løbende praktikpladser", "Socialøkonomiske aktiviteter",
        "Personalepolitik med plads til mangfoldighed", "Medarbejdermentorer")]

    # The consultant registers the company ...
    log_in(page, live_server.url, consultant.email)
    page.get_by_role("link", name="Virksomheder").first.click()
    page.get_by_role("link", name="Opret virksomhed").click()
    page.locator("#id_cvr").fill("35487638")
    page.locator("#id_name").fill("Alfa Bageri ApS")
    page.locator("#id_contacts-0-name").fill("Peter Holm")
    page.locator("#id_contacts-0-email").fill("peter@alfa.example")
    page.locator("#id_contacts-0-is_primary").check()
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("heading", name="Alfa Bageri ApS")).to_be_visible()

    # ... and assesses it against the catalogue.
    page.get_by_role("link", name="Ny CSR-vurdering").click()
    page.get_by_label("Program").select_option(label="CSR Strategi")
    for criterion in criteria[:3]:
        group = page.get_by_role("group", name=criterion.title_da)
        group.get_by_label("Opfyldt").check()
        group.get_by_label("Dokumentation").fill("Set ved virksomhedsbesøget.")
    assert_accessible(page)
    page.get_by_role("button", name="Gem vurdering").click()
    expect(page.get_by_text("kan certificeres").first).to_be_visible()
    assessment_url = page.url
    log_out(page)

    # The team leader issues the certificate.
    log_in(page, live_server.url, leader.email)
    expect(page.get_by_role("heading", name="Programmernes mål")).to_be_visible()
    page.goto(assessment_url)
    page.get_by_role("link", name="Udsted certifikat").click()
    page.get_by_role("button", name="Udsted certifikat").click()
    expect(page.get_by_text(re.compile(r"Certifikat CSR-\d{4}-0001 er udstedt\."))).to_be_visible()
    assert_accessible(page)
    public_link = page.get_by_role("link", name="Offentlig side")
    public_url = public_link.get_attribute("href")
    log_out(page)

    # Anyone can check it.
    page.goto(f"{live_server.url}{public_url}")
    expect(page.get_by_text("Gyldigt: Alfa Bageri ApS har et gyldigt CSR-certifikat")
           ).to_be_visible()
    assert_accessible(page)

    # The company contact sees it in the portal.
    ContactPerson.objects.filter(company=Company.objects.get(cvr="35487638"),
                                 is_primary=True).update(user=contact)
    log_in(page, live_server.url, contact.email)
    page.get_by_role("link", name="Min virksomhed").first.click()
    expect(page.get_by_role("heading", name="Alfa Bageri ApS")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"^CSR-\d{4}-0001$"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Hent PDF"))).to_be_visible()
    assert_accessible(page)


def test_a_failed_pdf_is_shown_to_the_team_leader_who_retries_it(live_server, page: Page,
                                                                 programme, alice, bob,
                                                                 tmp_path, settings):
    from certificates.choices import PdfStatus
    from certificates.models import Certificate
    from tests.certificates.factories import certificate

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path, "base_url": None}}}
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    Certificate.objects.filter(pk=issued.pk).update(
        pdf_status=PdfStatus.FAILED, pdf_attempts=5, pdf_next_attempt_at=None,
        pdf_error="OSError: injected WeasyPrint failure: cannot load font")
    log_in(page, live_server.url, bob.email)
    page.goto(f"{live_server.url}/certifikater/{issued.pk}/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("PDF kunne ikke dannes — prøv igen")
    expect(alert).to_contain_text("5 forsøg mislykkedes.")
    assert_accessible(page)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(tmp_path / f"pdf-failed-{width}.png"), full_page=True)
        box = alert.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width, "the alert fits the screen"
    alert.get_by_role("button", name="Prøv igen").click()
    expect(page.get_by_text("PDF'en dannes igen.")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="kunne ikke dannes")).to_have_count(0)
