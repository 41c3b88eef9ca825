"""The field cases (tests/fixtures/field-cases/, README there): files as real offices produce
them, each uploaded through its import page by a logged-in consultant, with the result its
README row expects."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from companies.models import Company
from placements.choices import OpeningKind
from placements.models import JobOpening
from tests.csrprogram.factories import ProgrammeFactory
from tests.import_files import field_case

pytestmark = pytest.mark.django_db

COMPANY_IMPORT = reverse("companies:company-import")
OPENING_IMPORT = reverse("placements:opening-import")


@pytest.fixture
def consultant(client, alice):
    client.force_login(alice)
    return client


def import_companies(client, name):
    return client.post(COMPANY_IMPORT, {"file": field_case(name)})


def import_openings(client, name, programme):
    return client.post(OPENING_IMPORT, {"programme": programme.pk, "file": field_case(name)})


def test_01_windows_1252_keeps_the_danish_letters(consultant):
    response = import_companies(consultant, "01_companies_cp1252.csv")
    assert response.status_code == 302, response.content.decode()
    company = Company.objects.get()
    assert (company.cvr, company.name, company.address, company.industry) == (
        "30000005", "Bøgholm Værktøj ApS", "Ærøvej 3", "Håndværk")


def test_02_cvr_with_dk_spaces_and_lower_case(consultant):
    response = import_companies(consultant, "02_companies_cvr_dk_prefix.csv")
    assert response.status_code == 302, response.content.decode()
    assert sorted(Company.objects.values_list("cvr", flat=True)) == ["30000013", "30000021"]


def test_03_sep_hint_line(consultant):
    response = import_companies(consultant, "03_companies_sep_hint.csv")
    assert response.status_code == 302, response.content.decode()
    assert list(Company.objects.values_list("cvr", "name")) == [("30000048", "Sepfirma ApS")]


@time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False)
def test_04_openings_cvr_with_dk_prefix_after_02(consultant, alice):
    assert import_companies(consultant, "02_companies_cvr_dk_prefix.csv").status_code == 302
    programme = ProgrammeFactory(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 12, 31),
                                 members=[alice])
    response = import_openings(consultant, "04_openings_cvr_dk_prefix.csv", programme)
    assert response.status_code == 302, response.content.decode()
    opening = JobOpening.objects.get()
    assert (opening.company.cvr, opening.kind, opening.programme, opening.registered_on,
            opening.closing_date, opening.created_by) == (
        "30000013", OpeningKind.INTERNSHIP, programme, dt.date(2026, 12, 1),
        dt.date(2026, 12, 15), alice)


FORMULA_NAMES = {
    "30000056": '=HYPERLINK("https://evil.example/x";"Klik her")',
    "30000064": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def test_07a_formula_like_company_names_are_stored_as_plain_text(consultant):
    response = import_companies(consultant, "07a_companies_formula_names.csv")
    assert response.status_code == 302, response.content.decode()
    assert dict(Company.objects.values_list("cvr", "name")) == FORMULA_NAMES


@time_machine.travel(dt.datetime(2022, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False)
def test_07b_openings_for_the_formula_companies_after_07a(consultant, alice):
    assert import_companies(consultant, "07a_companies_formula_names.csv").status_code == 302
    programme = ProgrammeFactory(starts_on=dt.date(2021, 8, 1), ends_on=dt.date(2022, 12, 31),
                                 members=[alice])
    response = import_openings(consultant, "07b_openings_for_formula_companies.csv", programme)
    assert response.status_code == 302, response.content.decode()
    openings = JobOpening.objects.select_related("company")
    assert sorted((o.company.name, o.title, o.positions, o.registered_on) for o in openings) == [
        (FORMULA_NAMES["30000056"], "Lagermedhjælper", 2, dt.date(2022, 6, 1)),
        (FORMULA_NAMES["30000064"], "Lagermedhjælper", 1, dt.date(2022, 6, 1)),
    ]


def test_12a_nul_byte_refuses_the_row_naming_row_and_column(consultant, programme, alice):
    Company.objects.create(cvr="30000013", name="Testfirma Nord ApS")
    response = import_openings(consultant, "12a_openings_nul_in_title.csv", programme)
    assert response.status_code == 200
    problems = response.context["result"].errors
    assert [(p.row, p.column) for p in problems] == [(2, "stillingsbetegnelse")]
    assert "kontroltegn" in problems[0].message
    page = response.content.decode()
    assert "Intet er importeret" in page
    assert "stillingsbetegnelse" in page
    assert JobOpening.objects.count() == 0


def test_16a_xlsx_with_a_wrong_dimension_reads_every_cell(consultant):
    response = import_companies(consultant, "16a_companies_xlsx_dimension_A1.xlsx")
    assert response.status_code == 302, response.content.decode()
    assert list(Company.objects.values_list("cvr", "name", "postcode")) == [
        ("30000102", "Dimensionsfirma To ApS", "8900")]
