"""The company import, built on the one importer (csrprogram.importing)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from companies import services
from companies.models import Company, ContactPerson
from companies.services import company_import
from tests.companies.factories import CompanyFactory
from tests.import_files import csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = ["cvr", "navn", "postnummer", "by", "socialøkonomisk", "kontaktperson",
          "kontakt e-mail"]


def problems_by_row(result) -> dict[int, str]:
    rows: dict[int, str] = {}
    for problem in result.errors:
        rows[problem.row] = " ".join(filter(None, [rows.get(problem.row), str(problem)]))
    return rows


def test_semicolon_csv_imports_every_row_with_its_primary_contact():
    result = company_import(actor=None, uploaded=csv_upload([
        HEADER,
        ["35487638", "Randers Rengøring ApS", "8900", "Randers C", "ja", "Peter Holm",
         "p@r.example"],
        ["35 48 76 46", "Bageriet I/S", "8930", "Randers NØ", "nej", "", ""],
    ]))
    assert result.ok, result.errors
    assert Company.objects.count() == 2
    first = Company.objects.get(cvr="35487638")
    assert first.is_social_economy is True
    assert first.contacts.get().is_primary is True
    assert Company.objects.get(cvr="35487646").is_social_economy is False


def test_comma_csv_with_english_field_names_imports():
    result = company_import(actor=None, uploaded=csv_upload([["cvr", "name", "city"],
                                                 ["35487638", "Alfa ApS", "Randers C"]],
                                                delimiter=","))
    assert result.ok
    assert Company.objects.get().name == "Alfa ApS"


def test_xlsx_with_numeric_cvr_cells_and_a_size_label_imports():
    result = company_import(actor=None, uploaded=xlsx_upload([
        ["CVR-nummer", "Navn", "Størrelse"], [35487638.0, "Alfa ApS", "10–49 ansatte"],
        [None, None, None],
    ]))
    assert result.ok, result.errors
    assert Company.objects.get().size_band == "small"


def test_one_bad_row_saves_nothing_and_reports_each_row_and_column_in_danish():
    CompanyFactory(cvr="35487646")
    result = company_import(actor=None, uploaded=csv_upload([
        HEADER,
        ["35487638", "Godt Firma ApS", "8900", "Randers C", "ja", "", ""],      # row 2: fine
        ["12345678", "Forkert CVR", "8900", "Randers C", "nej", "", ""],        # row 3: mod 11
        ["35487646", "Findes allerede", "8900", "Randers C", "nej", "", ""],    # row 4: exists
        ["35487654", "", "89", "Randers", "måske", "", "ikke-en-mail"],         # row 5: several
    ]))
    assert not result.ok
    assert Company.objects.count() == 1  # only the one made above
    by_row = problems_by_row(result)
    assert set(by_row) == {3, 4, 5}
    assert "12345678 er ikke et gyldigt CVR-nummer" in by_row[3]
    assert "Der findes allerede en virksomhed med CVR-nummer 35487646" in by_row[4]
    assert "kolonne ”navn”: Dette felt er påkrævet." in by_row[5]
    assert "kolonne ”postnummer”: Et postnummer består af 4 cifre." in by_row[5]
    assert "Skriv ja eller nej" in by_row[5]
    assert str(result.errors[0]).startswith("Række 3, kolonne ”cvr”:")


def test_the_same_cvr_twice_in_one_file_is_reported():
    result = company_import(actor=None, uploaded=csv_upload([
        ["cvr", "navn"], ["35487638", "Alfa ApS"], ["DK 35 48 76 38", "Alfa igen ApS"]]))
    assert [(problem.row, problem.column) for problem in result.errors] == [(3, "cvr")]
    assert "står også i række 2" in str(result.errors[0])
    assert Company.objects.count() == 0


def test_a_failure_while_saving_rolls_back_the_rows_saved_before_it(monkeypatch):
    calls = []
    original = services.company_create

    def failing_on_second(**kwargs):
        calls.append(kwargs["data"]["cvr"])
        if len(calls) == 2:
            raise ValidationError({"name": "Databasen sagde nej."})
        return original(**kwargs)

    monkeypatch.setattr(services, "company_create", failing_on_second)
    result = company_import(actor=None, uploaded=csv_upload([
        ["cvr", "navn", "kontaktperson"], ["35487638", "A ApS", "Anne"],
        ["35487646", "B ApS", "Bent"]]))
    assert [(p.row, p.column, p.message) for p in result.errors] == [
        (3, "navn", "Databasen sagde nej.")]
    assert result.saved == []
    assert Company.objects.count() == 0
    assert ContactPerson.objects.count() == 0


def test_a_company_registered_meanwhile_refuses_its_row_and_rolls_back(monkeypatch):
    """Someone else registers the CVR number between the check and the save."""
    original = services.company_create

    def racing(**kwargs):
        if kwargs["data"]["cvr"] == "35487646":
            CompanyFactory(cvr="35487646")
        return original(**kwargs)

    monkeypatch.setattr(services, "company_create", racing)
    result = company_import(actor=None, uploaded=csv_upload([
        ["cvr", "navn"], ["35487638", "A ApS"], ["35487646", "B ApS"]]))
    assert [problem.row for problem in result.errors] == [3]
    assert "Der findes allerede en virksomhed" in result.errors[0].message
    # (the other company was made inside the import's transaction here, so it goes too)
    assert Company.objects.count() == 0


def test_a_database_error_while_saving_is_a_row_problem_never_a_500(monkeypatch):
    from django.db import IntegrityError

    original = services.company_create

    def failing(**kwargs):
        if kwargs["data"]["cvr"] == "35487646":
            raise IntegrityError("duplicate key value violates unique constraint")
        return original(**kwargs)

    monkeypatch.setattr(services, "company_create", failing)
    result = company_import(actor=None, uploaded=csv_upload([
        ["cvr", "navn"], ["35487638", "A ApS"], ["35487646", "B ApS"]]))
    assert [problem.row for problem in result.errors] == [3]
    assert "Intet er importeret" in result.errors[0].message
    assert "duplicate key" not in result.errors[0].message
    assert Company.objects.count() == 0


def test_the_import_page_shows_the_problems_in_a_table(client, alice):
    client.force_login(alice)
    response = client.post(reverse("companies:company-import"), {"file": csv_upload([
        ["cvr", "navn"], ["12345678", "Forkert ApS"]])})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Intet er importeret" in page
    assert "<th scope=\"col\">Kolonne</th>" in page
    assert "12345678 er ikke et gyldigt CVR-nummer" in page
    assert Company.objects.count() == 0


def test_the_import_page_lists_the_columns_it_reads(client, alice):
    client.force_login(alice)
    page = client.get(reverse("companies:company-import")).content.decode()
    assert "cvr-nummer" in page
    assert "kontakt e-mail" in page


def test_a_successful_import_goes_to_the_list_with_a_count(client, alice):
    client.force_login(alice)
    response = client.post(reverse("companies:company-import"), {"file": csv_upload([
        ["cvr", "navn"], ["35487638", "A ApS"], ["35487646", "B ApS"]])}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("companies:company-list")
    assert "2 virksomheder er importeret." in response.content.decode()
