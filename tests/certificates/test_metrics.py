"""The certificate metrics against hand-counted fixtures, with deadline-day edges."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from certificates.services import certificate_renew, certificate_revoke
from csrprogram.metrics import registry
from tests.certificates.factories import at, certificate
from tests.companies.factories import CompanyFactory, assessment

pytestmark = pytest.mark.django_db

START, END_2017, END = dt.date(2017, 6, 19), dt.date(2017, 12, 31), dt.date(2018, 12, 31)


@pytest.fixture
def history(programme, alice, bob):
    """Hand-made history (dates in Copenhagen):

    A: issued 2017-07-03, renewed 2018-07-01           -> 1 company, 2 certificates
    B: issued 2017-12-31 23:30 (deadline day, late)    -> counts for 2017
    C: issued 2018-01-01 00:15 (just after)            -> counts for 2018; revoked 2018-03-10
    D: issued 2017-09-01 in another programme          -> not counted
    """
    def issue(company, when, prog=programme):
        return certificate(programme=prog, leader=bob, consultant=alice, company=company,
                           issued_at=when)

    a, b, c = CompanyFactory(name="A"), CompanyFactory(name="B"), CompanyFactory(name="C")
    first_a = issue(a, at(2017, 7, 3))
    renewal = assessment(company=a, programme=programme, by=alice, met=4,
                         assessed_on=dt.date(2018, 6, 30))
    import time_machine
    with time_machine.travel(at(2018, 7, 1), tick=False):
        certificate_renew(certificate=first_a, assessment=renewal, actor=bob)
    issue(b, at(2017, 12, 31, 23, 30))
    c_cert = issue(c, at(2018, 1, 1, 0, 15))
    certificate_revoke(certificate=c_cert, actor=bob, reason="Konkurs",
                       revoked_at=at(2018, 3, 10, 12))
    from tests.csrprogram.factories import ProgrammeFactory
    issue(CompanyFactory(name="D"), at(2017, 9, 1), prog=ProgrammeFactory())
    return programme


def test_certified_companies_counts_each_company_once_on_its_first_day(history):
    metric = registry.get("certified_companies")
    assert metric.daily(history, start=START, end=END) == {
        dt.date(2017, 7, 3): 1, dt.date(2017, 12, 31): 1, dt.date(2018, 1, 1): 1}
    assert metric.count(history, start=START, end=END_2017) == 2
    assert metric.count(history, start=START, end=END) == 3
    # Only the renewal falls in 2018's second half: no newly certified company.
    assert metric.count(history, start=dt.date(2018, 6, 1), end=END) == 0


def test_certificates_issued_counts_renewals(history):
    metric = registry.get("certificates_issued")
    assert metric.count(history, start=START, end=END_2017) == 2
    assert metric.count(history, start=START, end=END) == 4
    assert metric.daily(history, start=dt.date(2018, 1, 1), end=dt.date(2018, 1, 1)) == {
        dt.date(2018, 1, 1): 1}


def test_active_certificates_cumulate_to_the_number_valid_each_day(history):
    metric = registry.get("active_certificates")
    daily = metric.daily(history, start=START, end=END)

    def active_on(day):
        return sum(n for d, n in daily.items() if d <= day)

    assert active_on(dt.date(2017, 7, 2)) == 0
    assert active_on(dt.date(2017, 7, 3)) == 1          # A
    assert active_on(dt.date(2017, 12, 31)) == 2        # A, B
    assert active_on(dt.date(2018, 1, 1)) == 3          # A, B, C
    assert active_on(dt.date(2018, 3, 9)) == 3
    assert active_on(dt.date(2018, 3, 10)) == 2         # C revoked that day
    assert active_on(dt.date(2018, 7, 1)) == 2          # A renewed: old replaced by new
    assert active_on(dt.date(2018, 12, 30)) == 2        # B valid until 2018-12-30
    assert active_on(dt.date(2018, 12, 31)) == 1
    assert metric.count(history, start=START, end=dt.date(2018, 3, 10)) == 2
    # A range starting mid-way opens with the balance of that day.
    assert metric.daily(history, start=dt.date(2018, 2, 1), end=dt.date(2018, 2, 1)) == {
        dt.date(2018, 2, 1): 3}


def test_records_urls_lead_to_the_filtered_certificate_list(history, client, bob):
    client.force_login(bob)
    expectations = {"certified_companies": 2, "certificates_issued": 2}
    for key, expected in expectations.items():
        url = registry.get(key).records_url(history, start=START, end=END_2017)
        assert urlparse(url).path == reverse("certificates:certificate-list")
        response = client.get(url)
        assert response.context["paginator"].count == expected, key
    url = registry.get("active_certificates").records_url(history, start=START,
                                                          end=dt.date(2018, 3, 10))
    assert parse_qs(urlparse(url).query)["active_on"] == ["2018-03-10"]
    assert client.get(url).context["paginator"].count == 2


def test_breakdown_by_consultant_follows_the_assessing_consultant(history, client, alice, bob):
    from csrprogram.metrics import Dimension
    from tests.csrprogram.factories import UserFactory

    alice_name = f"{alice.first_name} {alice.last_name}"
    other = UserFactory(first_name="Bente", last_name="Berg", roles=["consultant"])
    certificate(programme=history, leader=bob, consultant=other,
                company=CompanyFactory(name="E"), issued_at=at(2017, 10, 2))
    issued = registry.get("certificates_issued").breakdown(
        history, start=START, end=END_2017, by=Dimension.CONSULTANT)
    assert [(row.label, row.count) for row in issued] == [(alice_name, 2), ("Bente Berg", 1)]
    companies = registry.get("certified_companies").breakdown(
        history, start=START, end=END, by=Dimension.CONSULTANT)
    # A (renewed), B and C by Alice: three distinct companies, not four certificates.
    assert [(row.label, row.count) for row in companies] == [(alice_name, 3), ("Bente Berg", 1)]
    client.force_login(bob)
    bente = next(row for row in issued if row.label == "Bente Berg")
    listed = client.get(bente.link()).context["paginator"].count
    assert listed == 1
