"""The openings import ("Spot et job" sheets), built on the one importer."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from placements.models import JobOpening
from placements.services import openings_import
from tests.import_files import csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = ["CVR", "Type", "Stillingsbetegnelse", "Jobkategori", "Arbejdsopgaver",
          "Timer pr. uge", "Antal pladser", "Kilde", "Registreret den", "Skånehensyn"]


@time_machine.travel(dt.datetime(2017, 10, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_csv_import_creates_every_row(programme, company_a, alice):
    result = openings_import(actor=alice, programme=programme, uploaded=csv_upload([
        HEADER,
        [company_a.cvr, "Virksomhedspraktik", "Butiksassistent", "Butik og detailhandel",
         "Varer på hylder", 20, 3, "Arrangement", "15-09-2017", "ja"],
        [company_a.cvr, "csr_job", "Pedelmedhjælper", "maintenance", "", 10, "", "", "", ""],
    ]))
    assert result.ok, result.errors
    first, second = sorted(JobOpening.objects.all(), key=lambda o: o.title)
    assert (first.title, first.kind, first.positions, first.source, first.registered_on,
            first.can_accommodate, first.created_by) == (
        "Butiksassistent", "internship", 3, "event", dt.date(2017, 9, 15), True, alice)
    # Empty cells: one position, a "Spot et job" sheet, registered today (Copenhagen).
    assert (second.positions, second.source, second.can_accommodate,
            second.registered_on) == (1, "spot_a_job", False, dt.date(2017, 10, 2))


def test_labels_are_read_in_danish_whatever_the_interface_language(programme, company_a,
                                                                   alice):
    from django.utils import translation

    with translation.override("en"):
        result = openings_import(actor=alice, programme=programme, uploaded=csv_upload([
            HEADER, [company_a.cvr, "Virksomhedspraktik", "Lager", "Lager og logistik", "",
                     20, 1, "Spot et job-ark", "", "nej"]]))
    assert result.ok, result.errors
    assert JobOpening.objects.get().source == "spot_a_job"


@time_machine.travel(dt.datetime(2017, 10, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_one_bad_row_saves_nothing_and_reports_each_cell(programme, company_a, alice):
    result = openings_import(actor=alice, programme=programme, uploaded=xlsx_upload([
        HEADER,
        [company_a.cvr, "Virksomhedspraktik", "God række", "Rengøring", "", 20, 1, "", "", ""],
        ["12345678", "Praktik", "Dårlig række", "Rengøring", "", 40, 1, "", "31-02-2017", ""],
    ]))
    assert not result.ok
    assert JobOpening.objects.count() == 0
    assert {(problem.row, problem.column) for problem in result.errors} == {
        (3, "CVR"), (3, "Type"), (3, "Timer pr. uge"), (3, "Registreret den")}
    messages = " ".join(str(problem) for problem in result.errors)
    assert "12345678 er ikke et gyldigt CVR-nummer" in messages
    assert "Ukendt værdi ”Praktik”" in messages
    assert "”31-02-2017” er ikke en dato" in messages


def test_a_company_not_in_the_register_is_refused_clearly(programme, alice):
    result = openings_import(actor=alice, programme=programme, uploaded=csv_upload([
        HEADER, ["DK 30 00 00 13", "Fleksjob", "Lager", "Lager og logistik", "", 20, 1, "",
                 "", ""]]))
    assert [(problem.row, problem.column) for problem in result.errors] == [(2, "CVR")]
    assert result.errors[0].message == (
        "Der er ingen virksomhed med CVR-nummer 30000013 i virksomhedsregistret. Opret eller "
        "importér virksomheden først.")
    assert JobOpening.objects.count() == 0


def test_hours_outside_range_are_reported(programme, company_a, alice):
    result = openings_import(actor=alice, programme=programme, uploaded=csv_upload([
        HEADER, [company_a.cvr, "CSR-job (småjob)", "Lager", "Lager og logistik", "", 40, 1,
                 "", "", ""]]))
    assert [(problem.row, problem.column) for problem in result.errors] == [
        (2, "Timer pr. uge")]
    assert "37" in result.errors[0].message


def test_missing_columns_are_reported(programme, alice):
    result = openings_import(actor=alice, programme=programme, uploaded=csv_upload([
        ["CVR", "Titel"], ["12345678", "Noget"]]))
    assert [problem.row for problem in result.errors] == [None]
    assert "mangler kolonnen/kolonnerne: type, jobkategori, timer pr. uge" in (
        result.errors[0].message)


def test_import_view_shows_the_problems_then_imports_a_good_file(client, alice, programme,
                                                                 company_a):
    client.force_login(alice)
    response = client.post(reverse("placements:opening-import"), {
        "programme": programme.pk, "file": csv_upload([
            HEADER, [company_a.cvr, "Ukendt", "X", "Rengøring", "", 5, 1, "", "", ""]])})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Intet er importeret" in page
    assert "Ukendt værdi ”Ukendt”" in page
    response = client.post(reverse("placements:opening-import"), {
        "programme": programme.pk, "file": csv_upload([
            HEADER, [company_a.cvr, "Fleksjob", "X", "Rengøring", "", 5, 1, "", "", ""]])},
        follow=True)
    assert response.redirect_chain[-1][0] == reverse("placements:opening-list")
    assert "1 jobåbning er importeret." in response.content.decode()
    assert JobOpening.objects.get().kind == "flex_job"


def test_a_programme_the_consultant_does_not_work_in_is_refused(client, alice, company_a):
    from tests.csrprogram.factories import ProgrammeFactory

    other = ProgrammeFactory()
    client.force_login(alice)
    response = client.post(reverse("placements:opening-import"), {
        "programme": other.pk, "file": csv_upload([
            HEADER, [company_a.cvr, "Fleksjob", "X", "Rengøring", "", 5, 1, "", "", ""]])})
    assert response.status_code == 200
    assert response.context["form"].errors["programme"]
    assert JobOpening.objects.count() == 0
