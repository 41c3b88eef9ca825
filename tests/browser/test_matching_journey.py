"""The main path in real Chromium: a consultant enrols a citizen, registers a CSR-job from a
"Spot et job" sheet and proposes the citizen; the company contact accepts in the portal and
the placement starts."""

import re

import pytest
from playwright.sync_api import Page, expect

from citizens.models import Citizen
from csrprogram.choices import Role
from placements.models import Placement
from tests.browser.helpers import log_out
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.companies.factories import CompanyFactory, ContactPersonFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_proposes_and_the_company_contact_accepts(live_server, page: Page):
    consultant = UserFactory(email="mette@jobcenter.example", first_name="Mette",
                             roles=[Role.CONSULTANT])
    ProgrammeFactory(name="CSR Strategi 2017", members=[consultant])
    company = CompanyFactory(name="Alfa Bageri ApS")
    contact = UserFactory(email="carol@alfa.example", roles=[Role.COMPANY_CONTACT])
    ContactPersonFactory(company=company, user=contact, name="Carol Alfa", is_primary=True)

    # The consultant enrols a citizen.
    log_in(page, live_server.url, consultant.email)
    page.get_by_role("link", name="Borgere").first.click()
    page.get_by_role("link", name="Opret borger").click()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Navn\b")).fill("Jens Jensen")
    page.get_by_label("CPR-nummer").fill("010190-1235")
    page.get_by_label("Målgruppe").select_option("activity_ready")
    page.get_by_label("Lager og logistik").check()
    page.get_by_label("Timer pr. uge, borgeren kan arbejde").fill("20")
    page.get_by_label("Visiter til program").select_option(label="CSR Strategi 2017")
    page.get_by_label("Visiteret den").fill("2017-08-01")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("heading", name="Jens Jensen")).to_be_visible()
    expect(page.get_by_text("010190-XXXX")).to_be_visible()
    assert "1235" not in page.content()
    assert_accessible(page)
    # … records the consent to share the profile with employers (needed to present).
    page.get_by_role("link", name="Registrer samtykke").click()
    page.get_by_label("Samtykke til").select_option("employer_sharing")
    page.get_by_label("Givet den").fill("2017-08-01")
    page.get_by_role("button", name="Registrer samtykke").click()
    expect(page.get_by_text("Samtykket er registreret.")).to_be_visible()

    # … registers a CSR-job from a "Spot et job" sheet, on a phone-sized screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/jobaabninger/spot-et-job/")
    # The company picker (issue 14): type part of the name, pick it from the suggestions.
    page.locator("#id_company-ts-control").fill("Alfa")
    page.locator(".ts-dropdown .option", has_text="Alfa Bageri ApS").click()
    page.get_by_label("Stillingsbetegnelse").fill("Lagermedhjælper")
    page.get_by_label("Type").select_option("csr_job")
    page.get_by_label("Jobkategori").select_option("warehouse")
    page.get_by_label(re.compile(r"^\s*Timer pr. uge\s*\*?\s*$")).fill("15")
    assert_accessible(page)
    page.get_by_role("button", name="Registrer job").click()
    expect(page.get_by_role("heading", name=re.compile("Lagermedhjælper"))).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})

    # … finds and proposes the citizen, with the reasons shown, and presents them.
    page.get_by_role("link", name="Find kandidater").click()
    expect(page.get_by_text("Ønsker job inden for Lager og logistik.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Begrundelse (vises for virksomheden)").fill("Mødestabil og motiveret.")
    page.get_by_role("button", name="Foreslå Jens Jensen").click()
    expect(page.get_by_text("Kandidaten er foreslået.")).to_be_visible()
    page.get_by_role("link", name="Tilbage til jobåbningen").click()
    page.get_by_role("button", name="Præsenter for virksomheden").click()
    expect(page.get_by_text("Kandidaten er præsenteret for virksomheden.")).to_be_visible()
    log_out(page)

    # The company contact sees the profile without the name, no CPR or target group …
    log_in(page, live_server.url, contact.email)
    page.goto(f"{live_server.url}/portal/jobaabninger/")
    page.get_by_role("link", name="Lagermedhjælper").click()
    page.get_by_role("link", name=re.compile(r"^Kandidat nr\. \d+$")).click()
    expect(page.get_by_text("Mødestabil og motiveret.")).to_be_visible()
    assert "Jens Jensen" not in page.content()
    assert "010190" not in page.content()
    assert "Aktivitetsparat" not in page.content()
    assert_accessible(page)
    # … asks to meet the candidate and gets the name, then accepts.
    page.get_by_role("button", name="Vi vil gerne møde kandidaten").click()
    expect(page.get_by_role("heading", name="Jens Jensen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Hvornår kan kandidaten starte?").fill("2017-10-02")
    page.get_by_role("button", name="Vælg kandidaten", exact=True).click()
    expect(page.get_by_text("Du har valgt kandidaten. Forløbet er startet.")).to_be_visible()

    placement = Placement.objects.get()
    assert placement.citizen == Citizen.objects.get()
    assert (placement.company, str(placement.start_date), placement.kind) == (
        company, "2017-10-02", "csr_job")
    assert placement.opening.positions_filled == 1
