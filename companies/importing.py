"""Importing rows from a CSV or XLSX file, all or nothing.

Reusable by any app: describe the columns, give a Django form that validates one row and a
function that saves one row's cleaned data. ``tabular_import`` reads the file (CSV with ``;``
or ``,`` and an optional UTF-8 byte-order mark, as Excel writes it, or XLSX), validates every
row, and saves the rows in one transaction only when every row is valid. A row that fails
while saving (e.g. a database constraint) rolls back all of them. The result lists every
problem by spreadsheet row number (the header is row 1), in Danish.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (wrong format, no header, missing columns)."""


@dataclass(frozen=True)
class Column:
    """One column: the form field it feeds and the header names accepted for it."""

    field: str
    headers: tuple[str, ...]
    required: bool = False

    def matches(self, header: str) -> bool:
        wanted = _normalise_header(header)
        return wanted == _normalise_header(self.field) or any(
            wanted == _normalise_header(name) for name in self.headers
        )


@dataclass
class RowError:
    row_number: int
    messages: list[str]

    def __str__(self) -> str:
        return _("Række %(row)s: %(errors)s") % {
            "row": self.row_number, "errors": " ".join(self.messages),
        }


@dataclass
class ImportResult:
    row_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    saved: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _normalise_header(value: str) -> str:
    return " ".join(str(value or "").strip().lower().replace("_", " ").split())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores a CVR number typed as a number as 35487638.0.
        return str(int(value))
    return str(value).strip()


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("Filen kunne ikke læses. Gem CSV-filen med tegnsættet UTF-8."),
            code="encoding",
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text),
                                                                 delimiter=delimiter)]


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a broken file
        raise ImportFileError(
            _("Excel-filen kunne ikke læses. Kontroller, at det er en gyldig .xlsx-fil."),
            code="broken_xlsx",
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(uploaded) -> list[list[str]]:
    """The file's rows as lists of strings (header first), from CSV or XLSX."""
    content = uploaded.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("Filen er for stor (højst 5 MB)."), code="too_large")
    name = (getattr(uploaded, "name", "") or "").lower()
    if content.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")) or not name:
        rows = _read_csv(content)
    else:
        raise ImportFileError(
            _("Filtypen kendes ikke. Brug en CSV-fil (.csv) eller en Excel-fil (.xlsx)."),
            code="unknown_type",
        )
    # Spreadsheets often carry trailing empty rows; they are not data.
    return [row for row in rows if any(cell for cell in row)] if rows else []


def _map_header(header: list[str], columns: Iterable[Column]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    columns = list(columns)
    for index, name in enumerate(header):
        for column in columns:
            if column.matches(name) and column.field not in mapping.values():
                mapping[index] = column.field
                break
    missing = [column.headers[0] if column.headers else column.field
               for column in columns if column.required and column.field not in mapping.values()]
    if missing:
        raise ImportFileError(
            _("Filen mangler kolonnen/kolonnerne: %(columns)s.") % {"columns": ", ".join(missing)},
            code="missing_columns",
        )
    return mapping


def _form_messages(form: forms.Form) -> list[str]:
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.append(f"{label}: {error}" if label else str(error))
    return messages


def tabular_import(
    *,
    uploaded,
    columns: Iterable[Column],
    form_class: type[forms.Form],
    save_row: Callable[[dict], object],
    unique_within_file: Iterable[str] = (),
    form_kwargs: dict | None = None,
) -> ImportResult:
    """Validate every row with ``form_class``; save them all with ``save_row`` or none.

    ``unique_within_file`` names cleaned fields that may appear only once in the file (the
    form checks the database, but not the other rows of the same file).
    """
    columns = list(columns)
    rows = read_table(uploaded)
    if not rows:
        raise ImportFileError(_("Filen er tom."), code="empty")
    mapping = _map_header(rows[0], columns)
    data_rows = rows[1:]
    if not data_rows:
        raise ImportFileError(_("Filen har en overskriftsrække, men ingen data."), code="no_rows")
    if len(data_rows) > MAX_ROWS:
        raise ImportFileError(
            _("Filen har for mange rækker (højst %(max)s).") % {"max": MAX_ROWS},
            code="too_many_rows",
        )

    result = ImportResult(row_count=len(data_rows))
    valid: list[tuple[int, dict]] = []
    seen: dict[str, dict[str, int]] = {name: {} for name in unique_within_file}
    for offset, row in enumerate(data_rows):
        row_number = offset + 2
        data = {field_name: (row[index] if index < len(row) else "")
                for index, field_name in mapping.items()}
        form = form_class(data=data, **(form_kwargs or {}))
        if not form.is_valid():
            result.errors.append(RowError(row_number, _form_messages(form)))
            continue
        duplicate = []
        for name, first_rows in seen.items():
            value = form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if value in first_rows:
                duplicate.append(
                    _("%(label)s %(value)s står også i række %(row)s.") % {
                        "label": form.fields[name].label, "value": value,
                        "row": first_rows[value],
                    }
                )
            else:
                first_rows[value] = row_number
        if duplicate:
            result.errors.append(RowError(row_number, duplicate))
            continue
        valid.append((row_number, form.cleaned_data))

    if result.errors:
        return result

    try:
        with transaction.atomic():
            for row_number, cleaned in valid:
                try:
                    result.saved.append(save_row(cleaned))
                except ValidationError as error:
                    result.errors.append(RowError(row_number, list(error.messages)))
                    raise
    except ValidationError:
        # One bad row undoes all of them: nothing is half-imported.
        result.saved = []
    return result
