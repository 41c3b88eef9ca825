import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from placements.importing import openings_import
from placements.models import JobOpening

pytestmark = pytest.mark.django_db

HEADER = ["CVR", "Type", "Stillingsbetegnelse", "Jobkategori", "Arbejdsopgaver",
          "Timer pr. uge", "Antal pladser", "Kilde", "Registreret den", "Skånehensyn"]


def _csv(rows) -> bytes:
    lines = [";".join(HEADER)] + [";".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_import_creates_every_row(programme, company_a, alice):
    content = _csv([
        [company_a.cvr, "Virksomhedspraktik", "Butiksassistent", "Butik og detailhandel",
         "Varer på hylder", 20, 3, "Arrangement", "15-09-2017", "ja"],
        [company_a.cvr, "csr_job", "Pedelmedhjælper", "maintenance", "", 10, "", "", "", ""],
    ])
    result = openings_import(actor=alice, programme=programme, name="ark.csv", content=content)
    assert result.ok, result.errors
    first, second = sorted(JobOpening.objects.all(), key=lambda o: o.title)
    assert (first.title, first.kind, first.positions, first.source, first.registered_on,
            first.can_accommodate) == ("Butiksassistent", "internship", 3, "event",
                                       dt.date(2017, 9, 15), True)
    assert (second.positions, second.source, second.can_accommodate) == (1, "spot_a_job",
                                                                          False)


def test_one_bad_row_saves_nothing_and_reports_each_row(programme, company_a, alice):
    content = _xlsx([
        [company_a.cvr, "Virksomhedspraktik", "God række", "Rengøring", "", 20, 1, "", "", ""],
        ["12345678", "Praktik", "Dårlig række", "Rengøring", "", 40, 1, "", "31-02-2017", ""],
    ])
    result = openings_import(actor=alice, programme=programme, name="ark.xlsx",
                             content=content)
    assert not result.ok
    assert JobOpening.objects.count() == 0
    assert [error.row for error in result.errors] == [3]
    messages = " ".join(result.errors[0].messages)
    assert "Ingen virksomhed med CVR-nummer" in messages
    assert "Ukendt type" in messages
    assert "Ugyldig dato" in messages


def test_hours_outside_range_are_reported(programme, company_a, alice):
    content = _csv([[company_a.cvr, "CSR-job (småjob)", "Lager", "Lager og logistik", "", 40,
                     1, "", "", ""]])
    result = openings_import(actor=alice, programme=programme, name="ark.csv", content=content)
    assert "mellem 1 og 37" in " ".join(result.errors[0].messages)


def test_missing_columns_are_reported(programme, alice):
    result = openings_import(actor=alice, programme=programme, name="ark.csv",
                             content=b"CVR;Titel\n12345678;Noget\n")
    assert "mangler kolonnerne" in result.errors[0].messages[0]


def test_import_view_shows_the_row_report(client, alice, programme, company_a):
    client.force_login(alice)
    upload = SimpleUploadedFile("ark.csv", _csv([[company_a.cvr, "Ukendt", "X", "Rengøring",
                                                  "", 5, 1, "", "", ""]]))
    response = client.post(reverse("placements:opening-import"),
                           {"programme": programme.pk, "file": upload})
    page = response.content.decode()
    assert "Intet er importeret" in page
    assert "Række 2" in page
    upload = SimpleUploadedFile("ark.csv", _csv([[company_a.cvr, "Fleksjob", "X", "Rengøring",
                                                  "", 5, 1, "", "", ""]]))
    response = client.post(reverse("placements:opening-import"),
                           {"programme": programme.pk, "file": upload})
    assert response.status_code == 302
    assert JobOpening.objects.get().kind == "flex_job"
