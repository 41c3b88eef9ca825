"""A team leader's first login: the two-factor enrolment in real Chromium with axe-core
scans (issue 12, point 3)."""

import os

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from csrprogram.choices import Role
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.csrprogram.factories import ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.two_factor]


def test_team_leader_enrols_an_authenticator_app_and_reaches_the_dashboard(live_server,
                                                                          page: Page):
    leader = UserFactory(email="leder@jobcenter.example", roles=[Role.TEAM_LEADER])
    ProgrammeFactory(name="CSR Strategi 2017", members=[leader])
    log_in(page, live_server.url, leader.email)

    expect(page.get_by_role("heading", name="To-trinsbekræftelse")).to_be_visible()
    expect(page.get_by_role("img", name="QR-kode til godkenderappen")).to_be_visible()
    assert_accessible(page)
    folder = os.environ.get("TWO_FACTOR_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/two_factor_setup.png", full_page=True)
    device = TOTPDevice.objects.get(user=leader)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Kode").fill(f"{code:06d}")
    page.get_by_role("button", name="Bekræft og slå til").click()

    expect(page.get_by_role("heading", name="Dine gendannelseskoder")).to_be_visible()
    expect(page.get_by_role("list", name="Gendannelseskoder").get_by_role(
        "listitem")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Jeg har gemt koderne – fortsæt").click()
    expect(page.get_by_role("heading", name="Programmernes mål")).to_be_visible()
