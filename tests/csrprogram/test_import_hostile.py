"""Property-based tests: both imports, through their pages with a logged-in consultant, get
hostile files — random bytes, very long cells, control characters, unicode and RTL text,
HTML and SQL fragments, impossible dates and numbers, wrong types, ragged rows, any
delimiter and encoding, CSV or XLSX.

Whatever the file: no response is a server error, a refused file gets a message, and nothing
is saved half-way (the number of rows is unchanged unless the whole file was imported, and
then it grew by exactly the count the page reports). Examples are derandomised and bounded,
so CI sees the same run every time; the tally is printed at the end of the run.
"""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from citizens.choices import JobCategory
from companies.forms import COMPANY_IMPORT_COLUMNS
from companies.models import Company
from placements.choices import OpeningKind
from placements.forms import OPENING_IMPORT_COLUMNS
from placements.models import JobOpening
from tests.companies.factories import next_cvr
from tests.hostile import HOSTILE_TEXT, TALLIES, hostile_settings

pytestmark = pytest.mark.django_db

HOSTILE_SETTINGS = hostile_settings(max_examples=40)


def plausible(column: str) -> st.SearchStrategy:
    """Values that a correct file would hold in the column."""
    today = dt.date(2026, 6, 1)
    return {
        "cvr": st.builds(next_cvr),
        "company": st.just("__company__"),
        "name": st.sampled_from(["Alfa ApS", "Bøgholm Værktøj ApS", "Ærø Æbler I/S"]),
        "postcode": st.sampled_from(["8900", "8930", ""]),
        "kind": st.sampled_from([str(label) for _code, label in OpeningKind.choices]),
        "job_category": st.sampled_from([code for code, _label in JobCategory.choices]),
        "title": st.sampled_from(["Lagermedhjælper", "Pedel", "Kok"]),
        "weekly_hours": st.integers(min_value=1, max_value=37).map(str),
        "positions": st.integers(min_value=1, max_value=5).map(str),
        "registered_on": st.just(today.strftime("%d-%m-%Y")),
        "closing_date": st.just(""),
        "is_social_economy": st.sampled_from(["ja", "nej", ""]),
        "can_accommodate": st.sampled_from(["ja", "nej", ""]),
    }.get(column, st.just(""))


@st.composite
def sheets(draw, columns):
    """A header (some of the columns, maybe shuffled, maybe an unknown one) and rows of
    plausible or hostile cells, some of them ragged."""
    chosen = [column for column in columns if column.required or draw(st.booleans())]
    if draw(st.booleans()):
        chosen = draw(st.permutations(chosen))
    header = [draw(st.sampled_from(column.headers)) for column in chosen]
    if draw(st.integers(0, 4)) == 0:
        header.append(draw(HOSTILE_TEXT))
    clean = draw(st.booleans())
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        row = [draw(plausible(column.field) if clean or draw(st.integers(0, 3))
                    else HOSTILE_TEXT) for column in chosen]
        if not clean and draw(st.integers(0, 5)) == 0:
            row = row[:draw(st.integers(0, len(row)))] + draw(st.lists(HOSTILE_TEXT, max_size=2))
        rows.append(row)
    return [header, *rows]


def csv_content(rows, *, delimiter, encoding, hint) -> bytes:
    lines = [f"sep={delimiter}"] if hint else []
    for row in rows:
        cells = []
        for cell in row:
            if any(char in cell for char in (delimiter, '"', "\n", "\r")):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells))
    return "\r\n".join(lines).encode(encoding, errors="replace")


def xlsx_content(rows, *, numbers: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        cells = []
        for cell in row:
            cell = ILLEGAL_CHARACTERS_RE.sub("", cell)
            if numbers and re.fullmatch(r"-?\d{1,15}", cell):
                cell = float(cell)  # as Excel keeps a number typed into a cell
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def files(draw, columns, company_cvr=""):
    """A hostile upload: (name, content)."""
    kind = draw(st.sampled_from(["csv", "csv", "xlsx", "bytes"]))
    if kind == "bytes":
        name = draw(st.sampled_from(["ark.csv", "ark.xlsx", "ark.txt"]))
        prefix = draw(st.sampled_from([b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"]))
        return name, prefix + draw(st.binary(min_size=1, max_size=4096))
    rows = [[company_cvr if cell == "__company__" else cell for cell in row]
            for row in draw(sheets(columns))]
    if kind == "xlsx":
        return "ark.xlsx", xlsx_content(rows, numbers=draw(st.booleans()))
    return draw(st.sampled_from(["ark.csv", "ark.txt"])), csv_content(
        rows, delimiter=draw(st.sampled_from([";", ",", "\t", "|"])),
        encoding=draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])),
        hint=draw(st.booleans()))


def drive(client, *, url, data, upload, model) -> None:
    name, content = upload
    before = model.objects.count()
    # Following the redirect shows (and so uses up) the success message.
    response = client.post(url, {**data, "file": SimpleUploadedFile(name, content)},
                           follow=True)
    after = model.objects.count()
    accepted = bool(response.redirect_chain)
    TALLIES["imports"].record(url, response.status_code, accepted=accepted)
    assert response.status_code < 500
    if accepted:
        reported = [int(match.group(1)) for message in response.context["messages"]
                    if (match := re.match(r"(\d+) ", str(message)))]
        assert reported == [after - before]
        assert after > before
    else:
        assert response.status_code == 200
        assert after == before, "nothing may be saved from a refused file"
        result, form = response.context.get("result"), response.context["form"]
        assert (result is not None and result.errors) or form.errors
        page = response.content.decode()
        assert "Intet er importeret" in page or "invalid-feedback" in page


@HOSTILE_SETTINGS
@given(upload=files(COMPANY_IMPORT_COLUMNS))
def test_hostile_files_to_the_company_import(client, alice, upload):
    client.force_login(alice)
    drive(client, url=reverse("companies:company-import"), data={}, upload=upload,
          model=Company)


@HOSTILE_SETTINGS
@given(data=st.data())
def test_hostile_files_to_the_openings_import(client, alice, programme, company_a, data):
    client.force_login(alice)
    upload = data.draw(files(OPENING_IMPORT_COLUMNS, company_cvr=company_a.cvr))
    drive(client, url=reverse("placements:opening-import"), data={"programme": programme.pk},
          upload=upload, model=JobOpening)


def test_the_hostile_runs_drove_both_imports_and_some_files_were_accepted():
    """Runs after the two above (file order): the strategies reach both outcomes."""
    tally = TALLIES["imports"]
    if tally.examples == 0:
        pytest.skip("runs only together with the hostile tests above")
    assert len(tally.targets) == 2
    assert tally.server_errors == 0
    assert 0 < tally.accepted < tally.examples
