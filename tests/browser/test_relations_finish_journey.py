"""The relationship's last pages in a browser, each scanned with axe-core: a consultant
chooses a company's representative in a network and ends its membership (a date before it
joined is answered at the field), edits an event, and adds a consenting citizen who tells
her story at it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from citizens.choices import ConsentKind
from csrprogram.choices import Role
from relations.models import EventStory, NetworkMembership
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.citizens.factories import EnrolmentFactory
from tests.companies.factories import CompanyFactory, ContactPersonFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory
from tests.relations.factories import EventFactory, MembershipFactory, NetworkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_representative_leaving_event_edit_and_a_citizens_story(live_server, page: Page):
    consultant = UserFactory(email="mette@jobcenter.example", first_name="Mette",
                             roles=[Role.CONSULTANT])
    today = timezone.localdate()
    programme = ProgrammeFactory(name="CSR Strategi", members=[consultant],
                                 starts_on=today - dt.timedelta(days=100),
                                 ends_on=today + dt.timedelta(days=400))
    company = CompanyFactory(name="Alfa Bageri ApS")
    ContactPersonFactory(company=company, name="Hanne Alfa", job_title="Direktør")
    joined = today - dt.timedelta(days=60)
    membership = MembershipFactory(network=NetworkFactory(name="Dialogforum Randers"),
                                   company=company, joined_on=joined)
    starts = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=7),
                                                     dt.time(8)))
    event = EventFactory(programme=programme, title="Dialogforum", starts_at=starts,
                         ends_at=starts + dt.timedelta(hours=2))
    citizen = EnrolmentFactory(programme=programme, citizen__name="Sara Fortæller").citizen
    citizen.consents.create(kind=ConsentKind.EVENT_STORY, given_on=today - dt.timedelta(days=5))

    log_in(page, live_server.url, consultant.email)
    page.goto(f"{live_server.url}/netvaerk/{membership.network_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Vælg repræsentant Alfa Bageri ApS").click()
    page.get_by_label("Repræsentant").select_option(label="Hanne Alfa, Direktør")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Repræsentanten er gemt.")).to_be_visible()
    expect(page.get_by_role("table", name="Medlemmer")).to_contain_text("Hanne Alfa")

    page.get_by_role("link", name="Udtræd Alfa Bageri ApS").click()
    page.get_by_label("Udtrådt den").fill((joined - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Registrér udtrædelse").click()
    expect(page.get_by_text("Udtrædelsen kan ikke ligge før indtrædelsen").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Udtrådt den").fill(today.isoformat())
    page.get_by_role("button", name="Registrér udtrædelse").click()
    expect(page.get_by_text("Alfa Bageri ApS er udtrådt af netværket.")).to_be_visible()
    membership.refresh_from_db()
    assert membership.left_on == today
    assert NetworkMembership.objects.count() == 1

    page.goto(f"{live_server.url}/arrangementer/{event.pk}/")
    page.get_by_role("link", name="Rediger", exact=True).click()
    expect(page.get_by_label("Starter kl.")).to_have_value("08:00")
    page.get_by_label("Slutter kl.").fill("07:00")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Arrangementet skal slutte efter det starter.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Slutter kl.").fill("10:30")
    page.get_by_label("Sted").fill("Rådhuset, sal 2")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Arrangementet er gemt.")).to_be_visible()
    expect(page.get_by_text("Rådhuset, sal 2")).to_be_visible()

    page.get_by_role("link", name="Tilføj eller fjern borgere").click()
    page.locator("#id_citizen").select_option(label="Sara Fortæller")
    page.get_by_label("Bemærkning").fill("Om vejen til et småjob")
    assert_accessible(page)
    page.get_by_role("button", name="Tilføj").click()
    expect(page.get_by_text("Borgeren er tilføjet arrangementet.")).to_be_visible()
    expect(page.get_by_role("table", name="Fortæller ved arrangementet")).to_contain_text(
        "Sara Fortæller")
    assert EventStory.objects.get().citizen == citizen
