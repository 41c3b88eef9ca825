"""The one importer (csrprogram.importing): what it reads and how it refuses.

Most tests use a small row form of their own, so they test the importer and not an app; the
tests through the import pages use the apps' real imports.
"""

import datetime as dt
import io
import random
import re
import zipfile

import openpyxl
import pytest
import time_machine
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from companies.models import Company
from csrprogram import importing
from csrprogram.importing import (
    Column,
    ImportChoiceField,
    ImportDateField,
    YesNoField,
    tabular_import,
)
from placements.models import JobOpening
from tests.import_files import csv_bytes, csv_upload, xlsx_bytes, xlsx_rewrite_sheet, xlsx_upload

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


class RowForm(forms.Form):
    name = forms.CharField(label="Navn", max_length=50)
    when = ImportDateField(label="Dato", required=False)
    count = forms.IntegerField(label="Antal", required=False)
    notes = forms.CharField(label="Noter", required=False)
    colour = ImportChoiceField(label="Farve", choices=[("red", "Rød"), ("blue", "Blå")],
                               required=False, empty_value="red")
    yes = YesNoField(label="Ja/nej", required=False)


COLUMNS = (Column("name", ("navn",), required=True), Column("when", ("dato",)),
           Column("count", ("antal",)), Column("notes", ("noter",)),
           Column("colour", ("farve",)), Column("yes", ("ja/nej",)))


def run(upload):
    return tabular_import(uploaded=upload, columns=COLUMNS, form_class=RowForm,
                          save_row=lambda cleaned: cleaned)


def upload(content: bytes, name="ark.csv"):
    return SimpleUploadedFile(name, content)


def only_file_problem(result) -> str:
    assert [(problem.row, problem.column) for problem in result.errors] == [(None, None)]
    assert result.saved == []
    return result.errors[0].message


# --- CSV: encodings, delimiters, hint lines, quoting -------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_every_encoding_offices_write_keeps_the_danish_letters(encoding):
    result = run(upload(csv_bytes([["navn", "noter"], ["Ærø Æbler", "Søndergade 3, Å"]],
                                  encoding=encoding)))
    assert result.ok, result.errors
    assert result.saved[0]["name"] == "Ærø Æbler"
    assert result.saved[0]["notes"] == "Søndergade 3, Å"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_semicolon_comma_and_tab_are_found_on_the_header_line(delimiter):
    result = run(upload(csv_bytes([["navn", "antal", "noter"], ["Alfa", "3", "a, b; c"]],
                                  delimiter=delimiter)))
    assert result.ok, result.errors
    assert (result.saved[0]["count"], result.saved[0]["notes"]) == (3, "a, b; c")


@pytest.mark.parametrize("hint", ["sep=;", "sep=,", '"sep=;"', "SEP=\t"])
def test_a_sep_hint_line_sets_the_delimiter_and_is_not_a_row(hint):
    delimiter = hint.strip('"')[-1]
    content = (hint + "\r\n").encode() + csv_bytes([["navn", "noter"], ["Alfa", "x;y,z"]],
                                                   delimiter=delimiter, encoding="utf-8")
    result = run(upload(content))
    assert result.ok, result.errors
    assert result.saved == [{**result.saved[0], "name": "Alfa", "notes": "x;y,z"}]


def test_quoted_cells_with_line_breaks_count_as_one_spreadsheet_row():
    result = run(upload(csv_bytes([["navn", "noter", "antal"], ["Alfa", "linje 1\nlinje 2", "1"],
                                   ["Beta", "", "mange"]])))
    # Beta stands on spreadsheet row 3 although it is the file's fourth line.
    assert [(p.row, p.column) for p in result.errors] == [(3, "antal")]
    result = run(upload(csv_bytes([["navn", "noter"], ["Alfa", "linje 1\r\nlinje 2"]])))
    assert result.saved[0]["notes"] == "linje 1\r\nlinje 2"


def test_random_bytes_are_a_file_problem_in_danish():
    noise = random.Random(9).randbytes(4096)
    message = only_file_problem(run(upload(noise, "ark.csv")))
    assert "hverken UTF-8 eller Windows-1252" in message


def test_an_unclosed_quote_in_a_huge_cell_is_a_file_problem():
    message = only_file_problem(run(upload(b'navn;noter\nAlfa;"' + b"x" * 200_000)))
    assert "anførselstegn" in message


def test_the_header_may_stand_below_a_title_line_and_rows_keep_their_numbers():
    result = run(upload(csv_bytes([["Ark fra Randers Kommune"], [], ["navn", "antal"],
                                   ["Alfa", "x"]])))
    assert [(p.row, p.column) for p in result.errors] == [(4, "antal")]


def test_blank_rows_are_skipped_but_counted():
    result = run(upload(csv_bytes([["navn", "antal"], ["Alfa", "1"], [";"], ["", ""],
                                   ["Beta", "x"]])))
    assert [(p.row, p.column) for p in result.errors] == [(5, "antal")]


def test_headers_match_without_case_punctuation_or_spaces():
    result = run(upload(csv_bytes([["  NAVN: ", "Dato.", "ANTAL*"], ["Alfa", "", "2"]])))
    assert result.ok, result.errors


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "Filen er tom."),
    (b" \r\n ", "Filen er tom."),
    (b"navn;antal\r\n", "ingen rækker med data"),
    (b"noget;andet\r\nAlfa;1\r\n", "Filen mangler kolonnen/kolonnerne: navn."),
    (b"navn;Navn\r\nAlfa;Beta\r\n", "Kolonnen ”Navn” står mere end én gang"),
])
def test_a_file_without_usable_rows_is_refused_as_a_whole(content, expected):
    assert expected in only_file_problem(run(upload(content)))


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("ark.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "gamle Excel-format"),
    ("ark.xlsx", b"navn;antal\r\nAlfa;1\r\n", "ikke en Excel-fil"),
    ("ark.pdf", b"%PDF-1.4 navn", "Filtypen kendes ikke"),
    ("ark.xlsx", b"PK\x03\x04 broken zip", "Excel-filen kunne ikke læses"),
])
def test_files_of_another_kind_are_named_as_such(name, content, expected):
    assert expected in only_file_problem(run(upload(content, name)))


def test_size_and_row_limits_have_clear_messages(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [["navn"]] + [[f"Firma {n}"] for n in range(4)]
    assert "for mange rækker (højst 3)" in only_file_problem(run(upload(csv_bytes(rows))))
    assert "for mange rækker" in only_file_problem(run(xlsx_upload(rows)))
    assert run(upload(csv_bytes(rows[:4]))).ok
    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    assert "Filen er for stor" in only_file_problem(run(upload(b"navn\r\n" + b"x" * 200)))


# --- Cells: control characters, dates, numbers, choices ----------------------------------------

@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x07", "\x7f", "\x85"])
def test_a_control_character_refuses_its_row_naming_row_and_column(character):
    result = run(upload(csv_bytes([["navn", "noter"], ["Alfa", "fin"],
                                   ["Beta", f"før{character}efter"]])))
    assert [(p.row, p.column) for p in result.errors] == [(3, "noter")]
    assert "kontroltegn" in result.errors[0].message
    assert result.saved == []


def test_tabs_and_line_breaks_inside_a_cell_are_text_not_control_characters():
    result = run(upload(csv_bytes([["navn", "noter"], ["Alfa", "a\tb\nc"]])))
    assert result.ok, result.errors


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("written", ["31-12-2026", "31.12.2026", "31/12/2026", "2026-12-31",
                                     " 31-12-2026 "])
def test_danish_and_iso_dates_are_read(written):
    result = run(upload(csv_bytes([["navn", "dato"], ["Alfa", written]])))
    assert result.ok, result.errors
    assert result.saved[0]["when"] == dt.date(2026, 12, 31)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("written", "expected"), [
    ("46022", "”46022” er et Excel-serienummer, ikke en dato"),
    ("31-02-2026", "”31-02-2026” er ikke en dato. Skriv datoen som DD-MM-ÅÅÅÅ"),
    ("12/31/2026", "er ikke en dato"),
    ("i morgen", "er ikke en dato"),
    ("01-01-0001", "uden for det mulige"),
    ("31-12-9999", "uden for det mulige"),
])
def test_impossible_dates_and_serial_numbers_are_refused_clearly(written, expected):
    result = run(upload(csv_bytes([["navn", "dato"], ["Alfa", written]])))
    assert [(p.row, p.column) for p in result.errors] == [(2, "dato")]
    assert expected in result.errors[0].message


@time_machine.travel(NOW, tick=False)
def test_xlsx_date_cells_are_dates_and_a_serial_number_cell_is_refused():
    content = xlsx_bytes([["navn", "dato"], ["Alfa", dt.datetime(2026, 12, 31)],
                          ["Beta", dt.date(2026, 1, 2)], ["Gamma", 46022]])
    result = run(upload(content, "ark.xlsx"))
    assert [(p.row, p.column) for p in result.errors] == [(4, "dato")]
    assert "Excel-serienummer" in result.errors[0].message
    result = run(upload(xlsx_bytes([["navn", "dato"], ["Alfa", dt.datetime(2026, 12, 31)]]),
                        "ark.xlsx"))
    assert result.saved[0]["when"] == dt.date(2026, 12, 31)


def test_xlsx_numbers_typed_as_numbers_are_their_digits():
    result = run(upload(xlsx_bytes([["navn", "antal", "ja/nej"], [35487638.0, 20.0, True]]),
                        "ark.xlsx"))
    assert result.ok, result.errors
    assert (result.saved[0]["name"], result.saved[0]["count"], result.saved[0]["yes"]) == (
        "35487638", 20, True)


def test_choices_by_label_or_code_and_yes_no_as_people_write_them():
    result = run(upload(csv_bytes([["navn", "farve", "ja/nej"], ["A", "BLÅ", "x"],
                                   ["B", "red", "Nej"], ["C", "", ""], ["D", "grøn", "måske"]])))
    assert {(p.row, p.column) for p in result.errors} == {(5, "farve"), (5, "ja/nej")}
    assert "Ukendt værdi ”grøn”. Brug en af: Rød, Blå." in str(result.errors)
    result = run(upload(csv_bytes([["navn", "farve", "ja/nej"], ["A", "BLÅ", "x"],
                                   ["B", "red", "Nej"], ["C", "", ""]])))
    assert [(row["colour"], row["yes"]) for row in result.saved] == [
        ("blue", True), ("red", False), ("red", False)]


# --- XLSX from many generators ------------------------------------------------------------------

def test_xlsx_with_a_wrong_dimension_is_read_to_its_last_row():
    content = xlsx_rewrite_sheet(
        xlsx_bytes([["navn", "antal"], ["Alfa", 1], ["Beta", 2]]),
        lambda xml: re.sub(r"<dimension [^>]*>", '<dimension ref="A1"/>', xml))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b'<dimension ref="A1"/>' in archive.read("xl/worksheets/sheet1.xml")
    result = run(upload(content, "ark.xlsx"))
    assert [row["name"] for row in result.saved] == ["Alfa", "Beta"]


def test_merged_cells_are_reported_as_merged_not_as_empty():
    content = xlsx_bytes([["navn", "noter"], ["Alfa", "fælles note"], ["Beta", None],
                          ["Gamma", "egen"]], merged=["B2:B3"])
    result = run(upload(content, "ark.xlsx"))
    assert [(p.row, p.column) for p in result.errors] == [(3, "noter")]
    assert "flettede celler B2:B3" in result.errors[0].message


def test_ten_thousand_formatted_empty_rows_are_never_built(monkeypatch):
    empty_rows = "".join(
        f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/><c r="B{n}" s="1"/></row>'
        for n in range(4, 10_004))
    content = xlsx_rewrite_sheet(
        xlsx_bytes([["navn", "antal"], ["Alfa", 1], ["Beta", 2]]),
        lambda xml: xml.replace("</sheetData>", empty_rows + "</sheetData>"))
    built = []
    original = ReadOnlyWorksheet._get_row
    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row",
                        lambda self, *args, **kwargs: built.append(1) or original(
                            self, *args, **kwargs))
    result = run(upload(content, "ark.xlsx"))
    assert [row["name"] for row in result.saved] == ["Alfa", "Beta"]
    assert len(built) == 3  # the header and the two rows, not the 10,000 empty ones


def test_the_first_visible_sheet_is_read():
    workbook = openpyxl.Workbook()
    hidden = workbook.active
    hidden.append(["noget andet"])
    hidden.sheet_state = "hidden"
    workbook.create_sheet("Ark").append(["navn"])
    workbook["Ark"].append(["Alfa"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(upload(buffer.getvalue(), "ark.xlsx"))
    assert [row["name"] for row in result.saved] == ["Alfa"]


def test_openpyxl_parses_with_defusedxml_so_entities_are_refused():
    assert openpyxl.DEFUSEDXML is True
    bomb = ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    content = xlsx_rewrite_sheet(
        xlsx_bytes([["navn"], ["Alfa"]]),
        lambda xml: xml.replace("<worksheet", bomb + "<worksheet", 1).replace(
            ">Alfa<", ">&b;<"))
    assert "Excel-filen kunne ikke læses" in only_file_problem(run(upload(content, "ark.xlsx")))


def test_an_xlsx_that_unpacks_too_large_is_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNPACKED_BYTES", 1000)
    content = xlsx_bytes([["navn"], ["Alfa"]])
    assert "for stor, når den pakkes ud" in only_file_problem(run(upload(content, "ark.xlsx")))


# --- Through the import pages -------------------------------------------------------------------

@pytest.fixture
def consultant(client, alice):
    client.force_login(alice)
    return client


@pytest.mark.parametrize("name", ["ark.csv", "ark.xlsx"])
def test_4_kb_of_random_bytes_get_a_clear_message_on_both_import_pages(consultant, programme,
                                                                       name):
    noise = random.Random(4).randbytes(4096)
    for url, data in ((reverse("companies:company-import"), {}),
                      (reverse("placements:opening-import"), {"programme": programme.pk})):
        response = consultant.post(url, {**data, "file": SimpleUploadedFile(name, noise)})
        assert response.status_code == 200
        assert "Intet er importeret" in response.content.decode()
        assert response.context["result"].errors[0].row is None
    assert Company.objects.count() == JobOpening.objects.count() == 0


def test_a_file_of_another_type_is_refused_by_the_upload_field(consultant):
    response = consultant.post(reverse("companies:company-import"),
                               {"file": SimpleUploadedFile("ark.pdf", b"%PDF-1.4")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Vælg en CSV-fil (.csv) eller en Excel-fil (.xlsx)."]


def test_a_windows_1252_tab_separated_openings_file(consultant, programme, company_a):
    content = csv_bytes([
        ["CVR", "Type", "Stillingsbetegnelse", "Jobkategori", "Timer pr. uge", "Arbejdsopgaver"],
        [company_a.cvr, "Virksomhedspraktik", "Gårdmand", "Gartneri og grønne områder", "15",
         "Græsslåning, æbleplukning"],
    ], delimiter="\t", encoding="cp1252")
    assert "å".encode("cp1252") in content
    response = consultant.post(reverse("placements:opening-import"), {
        "programme": programme.pk, "file": SimpleUploadedFile("ark.txt", content)})
    assert response.status_code == 302, response.content.decode()
    opening = JobOpening.objects.get()
    assert (opening.title, opening.job_category, opening.tasks) == (
        "Gårdmand", "gardening", "Græsslåning, æbleplukning")


def test_a_row_failing_at_save_time_rolls_back_every_opening(consultant, programme,
                                                             company_a, monkeypatch):
    from django.core.exceptions import ValidationError

    from placements import services

    original = services.opening_create

    def failing_third(**kwargs):
        if kwargs["data"]["title"] == "Tredje":
            raise ValidationError({"title": "Gemmes ikke."})
        return original(**kwargs)

    monkeypatch.setattr(services, "opening_create", failing_third)
    rows = [["cvr", "type", "stillingsbetegnelse", "jobkategori", "timer pr. uge"]] + [
        [company_a.cvr, "Fleksjob", title, "IT", "10"] for title in ("Første", "Anden",
                                                                     "Tredje")]
    response = consultant.post(reverse("placements:opening-import"), {
        "programme": programme.pk, "file": csv_upload(rows)})
    assert response.status_code == 200
    assert [(p.row, p.column, p.message) for p in response.context["result"].errors] == [
        (4, "stillingsbetegnelse", "Gemmes ikke.")]
    assert JobOpening.objects.count() == 0
