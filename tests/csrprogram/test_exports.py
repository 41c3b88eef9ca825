"""The one export writer: files read back as Excel would read them hold no formula."""

import csv
import datetime as dt
import io
from zipfile import ZipFile

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from companies.models import Company
from csrprogram import exports
from tests.companies.factories import CompanyFactory
from tests.csrprogram.dashboard_metrics import at
from tests.csrprogram.factories import TargetFactory

HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1", "-1", "\t=1+1", "\r=1+1"]


def _csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _no_formula_cells(content: bytes) -> list:
    """Every cell of every sheet as openpyxl reads it; fails on a formula cell."""
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    # And in the file itself: no <f> element (a formula) anywhere.
    with ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)
    return cells


def test_csv_text_that_would_run_as_a_formula_is_neutralised_numbers_are_not():
    rows = _csv_rows(exports.csv_bytes([
        [*HOSTILE, "Ærø Bageri", -1, 2.5, dt.date(2018, 3, 1), None]]))
    assert rows == [["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(A1)", "'+1", "'-1", "'\t=1+1",
                     "'\r=1+1", "Ærø Bageri", "-1", "2.5", "2018-03-01", ""]]


def test_xlsx_writes_text_as_text_and_dates_as_dates():
    workbook = exports.xlsx_workbook()
    exports.xlsx_append(workbook.active, [*HOSTILE, 7, dt.date(2018, 3, 1),
                                          at(dt.date(2018, 3, 1), 23, 30)])
    cells = _no_formula_cells(exports.xlsx_bytes(workbook))
    texts = cells[:len(HOSTILE)]
    # XML reads a carriage return back as a line feed.
    assert [cell.value for cell in texts] == [text.replace("\r", "\n") for text in HOSTILE]
    assert {cell.data_type for cell in texts} == {"s"}
    assert all(cell.quotePrefix for cell in texts)
    number, day, moment = cells[len(HOSTILE):]
    assert (number.value, number.data_type) == (7, "n")
    assert day.is_date
    assert day.value == dt.datetime(2018, 3, 1)
    assert day.number_format == "DD-MM-YYYY"
    assert moment.value == dt.datetime(2018, 3, 1, 23, 30)  # Copenhagen time
    assert moment.number_format == "DD-MM-YYYY HH:MM"


@pytest.fixture
def hostile_companies(programme):
    TargetFactory(programme=programme, value=3, deadline=dt.date(2017, 12, 31))
    for name in HOSTILE[:4]:
        company = CompanyFactory(name=name)
        Company.objects.filter(pk=company.pk).update(created_at=at(dt.date(2017, 9, 1), 10, 0))
    return programme


@time_machine.travel(dt.datetime(2018, 3, 1, 12, tzinfo=dt.UTC), tick=False)
@pytest.mark.django_db
@pytest.mark.usefixtures("test_metrics")
def test_dashboard_exports_hold_no_formula_for_hostile_company_names(client, bob,
                                                                     hostile_companies):
    client.force_login(bob)
    response = client.get(reverse("programme-export-xlsx", args=[hostile_companies.pk]))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''m%C3%A5ltal-csr-strategi-2017-2018-03-01.xlsx")
    cells = _no_formula_cells(response.content)
    names = {cell.value for cell in cells if cell.value in HOSTILE}
    assert names == set(HOSTILE[:4]), "the names are there, as text"
    deadline = next(cell for cell in cells if cell.coordinate == "C3")
    assert deadline.is_date
    assert deadline.number_format == "DD-MM-YYYY"

    response = client.get(reverse("programme-export-csv", args=[hostile_companies.pk]))
    rows = _csv_rows(response.content)
    written = {row[1] for row in rows if len(row) == 4 and row[0] == "Virksomhed"}
    assert written == {"'" + name for name in HOSTILE[:4]}
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for row in rows for cell in row)


def test_download_names_keep_danish_letters():
    response = exports.download_response(b"x", filename="måltal-ærø-øst.csv",
                                         content_type=exports.CSV_CONTENT_TYPE)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''m%C3%A5ltal-%C3%A6r%C3%B8-%C3%B8st.csv")
