"""The reusable tabular import and the company import built on it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from companies.importing import ImportFileError
from companies.models import Company, ContactPerson
from companies.services import company_import
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db

HEADER = "cvr;navn;postnummer;by;socialøkonomisk;kontaktperson;kontakt e-mail"


def csv_file(text: str, name="virksomheder.csv", bom=False) -> SimpleUploadedFile:
    data = text.encode("utf-8")
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + data)


def xlsx_file(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("virksomheder.xlsx", buffer.getvalue())


def test_semicolon_csv_with_bom_imports_every_row_with_its_primary_contact():
    result = company_import(uploaded=csv_file(
        f"{HEADER}\n35487638;Randers Rengøring ApS;8900;Randers C;ja;Peter Holm;p@r.example\n"
        "35 48 76 46;Bageriet I/S;8930;Randers NØ;nej;;\n", bom=True))
    assert result.ok, result.errors
    assert Company.objects.count() == 2
    first = Company.objects.get(cvr="35487638")
    assert first.is_social_economy is True
    assert first.contacts.get().is_primary is True
    assert Company.objects.get(cvr="35487646").is_social_economy is False


def test_comma_csv_with_english_field_names_imports():
    result = company_import(uploaded=csv_file("cvr,name,city\n35487638,Alfa ApS,Randers C\n"))
    assert result.ok
    assert Company.objects.get().name == "Alfa ApS"


def test_xlsx_with_numeric_cvr_cells_imports():
    result = company_import(uploaded=xlsx_file([
        ["CVR-nummer", "Navn", "Størrelse"], [35487638, "Alfa ApS", "10–49 ansatte"],
        [None, None, None],
    ]))
    assert result.ok, result.errors
    assert Company.objects.get().size_band == "small"


def test_one_bad_row_saves_nothing_and_reports_each_row_in_danish():
    CompanyFactory(cvr="35487646")
    result = company_import(uploaded=csv_file(
        f"{HEADER}\n"
        "35487638;Godt Firma ApS;8900;Randers C;ja;;\n"      # row 2: fine
        "12345678;Forkert CVR;8900;Randers C;nej;;\n"       # row 3: modulus-11 fails
        "35487646;Findes allerede;8900;Randers C;nej;;\n"   # row 4: duplicate in database
        "35487654;;89;Randers;måske;;ikke-en-mail\n"        # row 5: several problems
    ))
    assert not result.ok
    assert Company.objects.count() == 1  # only the one made above
    by_row = {error.row_number: " ".join(error.messages) for error in result.errors}
    assert set(by_row) == {3, 4, 5}
    assert "12345678 er ikke et gyldigt CVR-nummer" in by_row[3]
    assert "Der findes allerede en virksomhed med CVR-nummer 35487646" in by_row[4]
    assert "Navn: Dette felt er påkrævet." in by_row[5]
    assert "Et postnummer består af 4 cifre." in by_row[5]
    assert "Skriv ja eller nej" in by_row[5]
    assert str(result.errors[0]).startswith("Række 3:")


def test_the_same_cvr_twice_in_one_file_is_reported():
    result = company_import(uploaded=csv_file(
        "cvr;navn\n35487638;Alfa ApS\n35487638;Alfa igen ApS\n"))
    assert [error.row_number for error in result.errors] == [3]
    assert "står også i række 2" in str(result.errors[0])
    assert Company.objects.count() == 0


def test_a_failure_while_saving_rolls_back_the_rows_saved_before_it(monkeypatch):
    from django.core.exceptions import ValidationError

    from companies import services

    calls = []
    original = services.company_create

    def failing_on_second(**kwargs):
        calls.append(kwargs["data"]["cvr"])
        if len(calls) == 2:
            raise ValidationError("Databasen sagde nej.")
        return original(**kwargs)

    monkeypatch.setattr(services, "company_create", failing_on_second)
    result = company_import(uploaded=csv_file("cvr;navn\n35487638;A ApS\n35487646;B ApS\n"))
    assert [e.row_number for e in result.errors] == [3]
    assert result.saved == []
    assert Company.objects.count() == 0
    assert ContactPerson.objects.count() == 0


@pytest.mark.parametrize(("upload", "message"), [
    (csv_file("navn;by\nAlfa;Randers\n"), "Filen mangler kolonnen/kolonnerne: cvr-nummer"),
    (csv_file(""), "Filen er tom."),
    (csv_file("cvr;navn\n"), "ingen data"),
    (SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really a zip"), "Excel-filen kunne ikke"),
    (SimpleUploadedFile("x.pdf", b"%PDF-1.4"), "Filtypen kendes ikke"),
    (SimpleUploadedFile("x.csv", "cvr;navn\n1;Å".encode("latin-1")), "UTF-8"),
])
def test_unreadable_files_get_a_clear_danish_message(upload, message):
    with pytest.raises(ImportFileError) as error:
        company_import(uploaded=upload)
    assert message in " ".join(error.value.messages)
