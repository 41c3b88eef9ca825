"""Import of filled-in "Spot et job" sheets (CSV or XLSX): every row is checked first, and
the openings are created only if all rows are valid (all or nothing), in one transaction.

Column headers are matched case-insensitively on their Danish names (see ``COLUMNS``); values
for type, job category and source may be the Danish label or the code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citizens.choices import JobCategory
from companies.models import Company
from csrprogram.models import Programme, User
from placements.choices import OpeningKind, OpeningSource
from placements.models import JobOpening

COLUMNS = {
    "cvr": ("cvr", "cvr-nummer", "cvr nummer"),
    "kind": ("type", "jobtype"),
    "title": ("stillingsbetegnelse", "stilling", "titel"),
    "job_category": ("jobkategori", "kategori"),
    "tasks": ("arbejdsopgaver", "opgaver"),
    "weekly_hours": ("timer pr. uge", "timer pr uge", "timer"),
    "positions": ("antal pladser", "pladser"),
    "source": ("kilde",),
    "registered_on": ("registreret den", "dato"),
    "closing_date": ("ansøgningsfrist", "frist"),
    "can_accommodate": ("skånehensyn", "kan tage hensyn til skånebehov"),
}
REQUIRED = ("cvr", "kind", "title", "job_category", "weekly_hours")
YES = {"ja", "j", "yes", "x", "1", "true"}
NO = {"nej", "n", "no", "0", "false", ""}


@dataclass
class RowError:
    row: int
    messages: list[str]


@dataclass
class ImportResult:
    created: list[JobOpening] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(name: str, content: bytes) -> list[dict[str, object]]:
    """The sheet's data rows as dicts keyed by our field names (unknown columns dropped)."""
    table = _xlsx_table(content) if name.lower().endswith(".xlsx") else _csv_table(content)
    if not table:
        raise ValidationError(_("Filen er tom."))
    header = [str(cell or "").strip().lower() for cell in table[0]]
    positions = {}
    for key, names in COLUMNS.items():
        for index, title in enumerate(header):
            if title in names:
                positions[key] = index
                break
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in positions]
    if missing:
        raise ValidationError(_("Filen mangler kolonnerne: %(columns)s.")
                              % {"columns": ", ".join(missing)})
    rows = []
    for cells in table[1:]:
        if all(cell in (None, "") for cell in cells):
            continue
        rows.append({key: (cells[index] if index < len(cells) else None)
                     for key, index in positions.items()})
    return rows


def _csv_table(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    first_line = text.split("\n", 1)[0]
    dialect = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=dialect))


def _xlsx_table(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a broken file
        raise ValidationError(_("Filen kunne ikke læses som et Excel-ark (.xlsx).")) from None
    sheet = workbook.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice(value, choices, label) -> str:
    text = _text(value).lower()
    for code, name in choices:
        if text in (code.lower(), str(name).lower()):
            return code
    raise ValueError(_("Ukendt %(field)s: ”%(value)s”.")
                     % {"field": label, "value": _text(value)})


def _date(value, label) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Ugyldig dato i %(field)s: ”%(value)s” (brug DD-MM-ÅÅÅÅ).")
                     % {"field": label, "value": text})


def _int(value, label) -> int:
    text = _text(value)
    try:
        return int(text)
    except ValueError:
        raise ValueError(_("%(field)s skal være et helt tal.") % {"field": label}) from None


def _opening_from_row(row: dict, *, programme: Programme, companies: dict[str, Company],
                      actor: User | None, today: dt.date) -> tuple[JobOpening | None, list[str]]:
    problems: list[str] = []
    values: dict[str, object] = {}
    cvr = _text(row.get("cvr")).replace(" ", "")
    company = companies.get(cvr)
    if company is None:
        problems.append(_("Ingen virksomhed med CVR-nummer ”%(cvr)s”.") % {"cvr": cvr})
    converters = [
        ("kind", lambda v: _choice(v, OpeningKind.choices, _("type"))),
        ("job_category", lambda v: _choice(v, JobCategory.choices, _("jobkategori"))),
        ("weekly_hours", lambda v: _int(v, _("Timer pr. uge"))),
        ("positions", lambda v: _int(v, _("Antal pladser")) if _text(v) else 1),
        ("source", lambda v: _choice(v, OpeningSource.choices, _("kilde"))
         if _text(v) else OpeningSource.SPOT_A_JOB),
        ("registered_on", lambda v: _date(v, _("registreret den")) or today),
        ("closing_date", lambda v: _date(v, _("ansøgningsfrist"))),
    ]
    for key, convert in converters:
        try:
            values[key] = convert(row.get(key))
        except ValueError as error:
            problems.append(str(error))
    accommodate = _text(row.get("can_accommodate")).lower()
    if accommodate not in YES | NO:
        problems.append(_("Skånehensyn skal være ”ja” eller ”nej”."))
    if problems:
        return None, problems
    opening = JobOpening(
        programme=programme, company=company, title=_text(row.get("title")),
        tasks=_text(row.get("tasks")), can_accommodate=accommodate in YES, created_by=actor,
        **values)
    try:
        opening.full_clean()
    except ValidationError as error:
        return None, [f"{JobOpening._meta.get_field(name).verbose_name}: {message}"
                      if name in {f.name for f in JobOpening._meta.fields} else message
                      for name, messages in error.message_dict.items() for message in messages]
    return opening, []


@transaction.atomic
def openings_import(*, actor: User | None, programme: Programme, name: str,
                    content: bytes) -> ImportResult:
    """Create the openings of a sheet, or none of them: the result lists each bad row."""
    result = ImportResult()
    try:
        rows = read_rows(name, content)
    except ValidationError as error:
        result.errors.append(RowError(row=1, messages=list(error.messages)))
        return result
    if not rows:
        result.errors.append(RowError(row=1, messages=[_("Filen indeholder ingen rækker.")]))
        return result
    cvrs = {_text(row.get("cvr")).replace(" ", "") for row in rows}
    companies = {company.cvr: company for company in Company.objects.filter(cvr__in=cvrs)}
    today = dt.date.today()
    openings = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        opening, problems = _opening_from_row(row, programme=programme, companies=companies,
                                              actor=actor, today=today)
        if problems:
            result.errors.append(RowError(row=number, messages=problems))
        else:
            openings.append(opening)
    if result.errors:
        return result
    for opening in openings:
        opening.save()
    result.created = openings
    return result
