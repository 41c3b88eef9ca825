"""The one importer for every tabular import (CSV or XLSX): all rows or none.

An app adds an import with three things and nothing else:

1. its columns: ``Column``s that name the row form's fields and the headers people write;
2. a Django form that validates one row (the fields below help with what spreadsheets hold:
   ``YesNoField``, ``ImportChoiceField``, ``ImportDateField``);
3. a function that saves one row's cleaned data (a service).

``tabular_import`` reads the file, finds the header row, checks every cell and every row, and
saves the rows in one transaction only when every row is valid. A row that fails while saving
(a ``ValidationError`` or a database error) rolls back all of them. It never raises for a bad
file: every problem is an ``ImportProblem`` in the result, in Danish, with the spreadsheet row
number (the header row as Excel shows it, normally row 1) and the column as written in the file.

What it reads, because that is what Danish offices produce:

- CSV in UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark (Excel's
  "Unicode-tekst"), or Windows-1252 (Excel's "CSV (semikolon)"); anything that is none of these
  is refused as a whole. An Excel ``sep=;`` hint line; ``;``, ``,`` or tab between cells
  (counted on the header line); quoted cells with line breaks.
- XLSX from any generator: the ``<dimension>`` metadata is ignored (several generators write
  ``A1``), merged cells are reported as such, trailing formatted empty rows are never
  materialised, date cells arrive as dates and numbers typed as numbers (a CVR number stored as
  35487638.0) as their digits. The XML is parsed by defusedxml (openpyxl uses it when it is
  installed; a test checks that it is), and the packed size is limited before anything is
  unpacked.

A cell with a control character (NUL, ESC, …; tab and line breaks are allowed) refuses its row:
PostgreSQL rejects NUL, and the others are never meant as data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from csrprogram.validation import IMPORTED, has_control_character, validate_date_in_range

MAX_BYTES = 5 * 1024 * 1024
# Unpacked size of an XLSX file's parts: a 5,000-row sheet is a few megabytes of XML, so this
# only stops zip bombs.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 100
# The header may stand below a title line or two; it is looked for among the first rows.
HEADER_SEARCH_ROWS = 10
MAX_PROBLEMS = 1000
MAX_MERGED_CELLS = 100_000
FILE_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
DELIMITERS = (";", "\t", ",")  # on a tie the first wins: Danish Excel writes ";"
QUOTES = str.maketrans("", "", "\"'”“„«»")  # 'Spot et job' is ”Spot et job”
SEP_HINT = re.compile(r'^\s*"?sep=(.)"?\s*$', re.IGNORECASE)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, too large, no header, …)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """One column: the row form's field it feeds and the header names accepted for it.

    The first header is the one shown in messages and on the import page. The field's own
    name is accepted as a header too (``name``, ``city``), and headers are compared without
    case, punctuation or surrounding spaces ("CVR-nr." = "cvr nr").
    """

    field: str
    headers: tuple[str, ...]
    required: bool = False

    @property
    def label(self) -> str:
        return self.headers[0] if self.headers else self.field

    def matches(self, header: str) -> bool:
        wanted = normalise_header(header)
        return bool(wanted) and wanted in {normalise_header(name)
                                           for name in (self.field, *self.headers)}


@dataclass(frozen=True)
class ImportProblem:
    """One problem: a cell, a row or (``row`` is None) the whole file."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Række %(row)s, kolonne ”%(column)s”: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        return _("Række %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    """What an import did: ``saved`` holds what ``save_row`` returned, empty unless ``ok``."""

    row_count: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    saved: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_header(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).lower()
    text = re.sub(r"[\s_.\-:*]+", " ", text)
    return text.strip()


# --- Reading the file ---------------------------------------------------------------------------

def _decode(content: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252.

    Strict UTF-8 is tried before Windows-1252 because a Windows-1252 file with Danish letters
    is practically never valid UTF-8, while every UTF-8 file would decode (wrongly) as
    Windows-1252. Windows-1252 leaves five byte values undefined, so random bytes fail both.
    """
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif content.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_(
        "Filen kunne ikke læses som tekst: tegnsættet er hverken UTF-8 eller Windows-1252, "
        "eller også er det ikke en CSV-fil. Gem filen som CSV (UTF-8) eller som Excel-fil "
        "(.xlsx), og prøv igen."))


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    text = _decode(content)
    lines = text.splitlines()
    hint = SEP_HINT.match(lines[0]) if lines else None
    if hint:
        # Excel hides the hint line, so the row numbers people see start below it.
        text = text[len(lines[0]):]
        text = text[2:] if text.startswith("\r\n") else text[1:]
        delimiter = hint.group(1)
    else:
        header_line = next((line for line in lines if line.strip()), "")
        delimiter = max(DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise ImportFileError(_(
            "CSV-filen kunne ikke læses: en celle er for lang, eller et anførselstegn er ikke "
            "lukket.")) from None


def _xml_iterparse():
    from openpyxl.xml.functions import iterparse  # defusedxml's when it is installed

    return iterparse


def _xlsx_scan(archive: zipfile.ZipFile, path: str) -> tuple[int, dict[tuple[int, int], str]]:
    """One pass over a sheet's XML: the last row that holds a value, and the merged cells.

    Read-only openpyxl neither reports merged cells nor knows where the data ends when the
    ``<dimension>`` is wrong, and it would build a row for each of thousands of formatted
    empty rows. This pass builds nothing: it notes the row number of every cell with a value
    and the ``<mergeCell ref>`` elements at the end of the sheet. The merged map gives, for
    every cell of a merged range except its top-left one, the range ("B2:B3").
    """
    last_row = 0
    row_number = 0
    sheet_data = None
    merged: dict[tuple[int, int], str] = {}
    with archive.open(path) as source:
        for event, element in _xml_iterparse()(source, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    reference = element.get("r")
                    row_number = int(reference) if reference else row_number + 1
                elif tag == "sheetData":
                    sheet_data = element
                continue
            if tag == "c":
                if any(child.tag.rsplit("}", 1)[-1] in ("v", "is") and "".join(child.itertext())
                       for child in element):
                    last_row = max(last_row, row_number)
            elif tag == "row" and sheet_data is not None:
                sheet_data.clear()  # every row before this one is done: keep memory flat
            elif tag == "mergeCell":
                _merge_note(merged, element.get("ref") or "")
    return last_row, merged


def _merge_note(merged: dict[tuple[int, int], str], reference: str) -> None:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(reference)
    except (TypeError, ValueError):
        return
    # Only the cells that can be read matter; a merge across whole columns is clipped.
    for row in range(min_row, min(max_row, MAX_ROWS + HEADER_SEARCH_ROWS) + 1):
        for column in range(min_col, min(max_col, MAX_COLUMNS) + 1):
            if (row, column) != (min_row, min_col):
                merged[(row, column - 1)] = reference
    if len(merged) > MAX_MERGED_CELLS:
        raise ImportFileError(_("Excel-filen har for mange flettede celler. Ophæv "
                                "fletningerne, og prøv igen."))


def _xlsx_rows(content: bytes) -> tuple[Iterator[tuple[int, list]], dict]:
    from openpyxl import load_workbook

    unreadable = _("Excel-filen kunne ikke læses. Kontroller, at det er en gyldig .xlsx-fil, "
                   "eller gem den som CSV.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportFileError(_("Excel-filen er for stor, når den pakkes ud."))
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds of errors for a broken file
        raise ImportFileError(unreadable) from None
    try:
        sheet = next((sheet for sheet in workbook.worksheets
                      if sheet.sheet_state == "visible"), None)
        if sheet is None:
            raise ImportFileError(_("Excel-filen har intet synligt regneark."))
        # openpyxl's read-only sheet keeps its archive and the sheet's path to itself.
        last_row, merged = _xlsx_scan(workbook._archive, sheet._worksheet_path)
        if last_row > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise ImportFileError(_too_many_rows())
        # Its <dimension> may be wrong ("A1"): read to the last row with a value instead.
        sheet.reset_dimensions()
        rows = list(enumerate(
            (list(row) for row in sheet.iter_rows(max_row=last_row, max_col=MAX_COLUMNS,
                                                  values_only=True)) if last_row else (),
            start=1))
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(unreadable) from None
    finally:
        workbook.close()
    return iter(rows), merged


def _too_many_rows() -> str:
    return _("Filen har for mange rækker (højst %(max)s). Del den i flere filer.") % {
        "max": MAX_ROWS}


def _read(uploaded) -> tuple[Iterator[tuple[int, list]], dict]:
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    content = uploaded.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("Filen er for stor (højst %(size)s MB).")
                              % {"size": MAX_BYTES // (1024 * 1024)})
    if not content.strip():
        raise ImportFileError(_("Filen er tom."))
    name = (getattr(uploaded, "name", "") or "").lower()
    if content.startswith(XLSX_MAGIC):
        return _xlsx_rows(content)
    if content.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise ImportFileError(_("Det gamle Excel-format (.xls) kan ikke læses. Gem filen som "
                                "Excel-projektmappe (.xlsx) eller som CSV, og prøv igen."))
    if name.endswith(".xlsx"):
        raise ImportFileError(_("Filen hedder .xlsx, men er ikke en Excel-fil. Kontroller "
                                "filen, eller gem den som CSV."))
    if name and not name.endswith(FILE_EXTENSIONS):
        raise ImportFileError(_("Filtypen kendes ikke. Brug en CSV-fil (.csv) eller en "
                                "Excel-fil (.xlsx)."))
    return _csv_rows(content), {}


# --- From cells to a row form's data -----------------------------------------------------------

def cell_value(value):
    """A cell as a row form wants it: text, or a date for a date cell.

    Excel keeps every number as a float: 35487638.0 is the CVR number 35487638, 20.0 is 20.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")  # Excel's 15 significant digits
    return str(value).strip()


def _is_empty(cells: Sequence) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _map_header(header: Sequence, columns: Sequence[Column]) -> tuple[dict[int, Column],
                                                                      list[Column]]:
    """Which column of the file feeds which field, and the required columns it lacks."""
    mapping: dict[int, Column] = {}
    for index, name in enumerate(header):
        if not isinstance(name, str):
            name = cell_value(name)
        column = next((column for column in columns if column.matches(str(name))), None)
        if column is None:
            continue
        if column in mapping.values():
            raise ImportFileError(_("Kolonnen ”%(column)s” står mere end én gang i "
                                    "overskriftsrækken.") % {"column": str(name).strip()})
        mapping[index] = column
    missing = [column for column in columns
               if column.required and column not in mapping.values()]
    return mapping, missing


def _find_header(rows: Iterator[tuple[int, list]],
                 columns: Sequence[Column]) -> tuple[list, dict[int, Column]]:
    """The header row's cells and mapping: the first of the first non-empty rows that has
    every required column. The rows after it stay in ``rows``."""
    first = None
    for seen, cells in enumerate(
            (cells for _number, cells in rows if not _is_empty(cells)), start=1):
        mapping, missing = _map_header(cells, columns)
        if first is None:
            first = missing
        if not missing:
            return cells, mapping
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise ImportFileError(_("Filen er tom."))
    raise ImportFileError(
        _("Filen mangler kolonnen/kolonnerne: %(columns)s. Første række skal være "
          "kolonneoverskrifterne.") % {"columns": ", ".join(column.label for column in first)})


# --- The import -------------------------------------------------------------------------------

def _form_problems(row: int, form: forms.Form, headers: dict[str, str]) -> list[ImportProblem]:
    problems = []
    for name, errors in form.errors.items():
        if name in headers:
            column = headers[name]
        elif name in form.fields:
            column = str(form.fields[name].label or name)
        else:
            column = None
        problems.extend(ImportProblem(row, column, str(message)) for message in errors)
    return problems


def _error_problems(row: int, error: ValidationError, headers: dict[str, str],
                    labels: dict[str, str]) -> list[ImportProblem]:
    if hasattr(error, "error_dict"):
        return [ImportProblem(row, headers.get(name) or labels.get(name), str(message))
                for name, messages in error.message_dict.items() for message in messages]
    return [ImportProblem(row, None, str(message)) for message in error.messages]


def tabular_import(
    *,
    uploaded,
    columns: Iterable[Column],
    form_class: type[forms.Form],
    save_row: Callable[[dict], object],
    unique_within_file: Iterable[str] = (),
    form_kwargs: dict | None = None,
) -> ImportResult:
    """Validate every row of ``uploaded`` with ``form_class``; save all with ``save_row`` or none.

    ``uploaded`` is a file object with ``read()`` and (optionally) ``name``: CSV or XLSX, at
    most ``MAX_BYTES`` and ``MAX_ROWS`` data rows. ``columns`` maps the file's headers to the
    form's fields; unknown columns are ignored, a required column that is missing refuses the
    file. ``unique_within_file`` names cleaned fields that may appear only once in the file
    (the form checks the database, not the other rows of the same file). ``save_row`` gets
    one row's ``cleaned_data`` and may raise ``ValidationError``; any such error or a database
    error rolls back every row saved before it.

    Never raises for the file's content: the result's ``errors`` lists every problem, in
    Danish, and ``saved`` is empty unless every row was saved.
    """
    columns = list(columns)
    result = ImportResult()
    try:
        rows, merged = _read(uploaded)
        header, mapping = _find_header(rows, columns)
        data_rows = []
        for number, cells in rows:
            if _is_empty(cells):
                continue
            data_rows.append((number, cells))
            if len(data_rows) > MAX_ROWS:
                raise ImportFileError(_too_many_rows())
    except ImportFileError as error:
        result.errors.append(ImportProblem(None, None, error.message))
        return result
    if not data_rows:
        result.errors.append(ImportProblem(
            None, None, _("Filen har en overskriftsrække, men ingen rækker med data.")))
        return result

    # Messages name a column as the file writes it, so people find it in their sheet.
    headers = {column.field: str(cell_value(header[index])) or column.label
               for index, column in mapping.items()}
    result.row_count = len(data_rows)
    valid: list[tuple[int, dict]] = []
    labels: dict[str, str] = {}
    seen: dict[str, dict[object, int]] = {name: {} for name in unique_within_file}
    for number, cells in data_rows:
        if len(result.errors) >= MAX_PROBLEMS:
            break
        problems = []
        data = {}
        for index, column in mapping.items():
            raw = cells[index] if index < len(cells) else None
            if (number, index) in merged:
                problems.append(ImportProblem(number, headers[column.field], _(
                    "Cellen er en del af de flettede celler %(range)s. Ophæv fletningen, og "
                    "skriv værdien i hver række.") % {"range": merged[(number, index)]}))
            elif isinstance(raw, str) and has_control_character(raw):
                problems.append(ImportProblem(number, headers[column.field], _(
                    "Cellen indeholder et kontroltegn (f.eks. NUL), som ikke kan gemmes. Fjern "
                    "tegnet, og prøv igen.")))
            data[column.field] = cell_value(raw)
        if problems:
            result.errors.extend(problems)
            continue
        form = form_class(data=data, **(form_kwargs or {}))
        labels = labels or {name: str(bound.label) for name, bound in form.fields.items()}
        if not form.is_valid():
            result.errors.extend(_form_problems(number, form, headers))
            continue
        duplicate = False
        for name, first_rows in seen.items():
            value = form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if value in first_rows:
                duplicate = True
                result.errors.append(ImportProblem(number, headers.get(name), _(
                    "%(value)s står også i række %(row)s.") % {
                        "value": value, "row": first_rows[value]}))
            else:
                first_rows[value] = number
        if not duplicate:
            valid.append((number, form.cleaned_data))
    if result.errors:
        return result

    saving = None
    try:
        with transaction.atomic():
            for number, cleaned in valid:
                saving = number
                result.saved.append(save_row(cleaned))
    except ValidationError as error:
        result.saved = []
        result.errors.extend(_error_problems(saving, error, headers, labels))
    except DatabaseError:
        # A constraint that a concurrent import or edit got to first; the database's own
        # text is English and technical, so it is not shown.
        result.saved = []
        result.errors.append(ImportProblem(saving, None, _(
            "Rækken kunne ikke gemmes, fordi databasen afviste den (måske er den netop "
            "oprettet af en anden). Intet er importeret; prøv igen.")))
    return result


# --- Fields for row forms ----------------------------------------------------------------------

class YesNoField(forms.Field):
    """Yes/no as people type it in a spreadsheet: ja/nej, x, 1/0, true/false; empty = no."""

    YES = frozenset({"ja", "j", "x", "1", "true", "yes", "y", "sand"})
    NO = frozenset({"nej", "n", "0", "false", "no", "", "falsk"})
    default_error_messages = {"invalid": gettext_lazy("Skriv ja eller nej (ikke ”%(value)s”).")}

    def to_python(self, value):
        text = str(value or "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid",
                              params={"value": value})

    def validate(self, value):
        """Both answers are valid, and an empty cell is no."""


class ImportChoiceField(forms.ChoiceField):
    """A choice written as its label ("Virksomhedspraktik") or its code ("internship").

    Case and spaces do not matter. An empty cell gives ``empty_value`` when the field is
    optional.
    """

    default_error_messages = {"invalid_choice": gettext_lazy(
        "Ukendt værdi ”%(value)s”. Brug en af: %(choices)s.")}

    def __init__(self, *, empty_value: str = "", **kwargs):
        super().__init__(**kwargs)
        self.empty_value = empty_value

    @staticmethod
    def _comparable(value) -> str:
        return " ".join(str(value).translate(QUOTES).split()).lower()

    def to_python(self, value):
        text = self._comparable(value or "")
        if not text:
            return self.empty_value
        for code, label in self.choices:
            # The file is Danish whatever language the person uploading it has chosen.
            with translation.override("da"):
                danish = self._comparable(label)
            if text in (str(code).lower(), danish, self._comparable(label)):
                return code
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice",
            params={"value": str(value).strip()[:100],
                    "choices": ", ".join(str(label) for _code, label in self.choices)})

    def validate(self, value):
        if self.required and value in self.empty_values:
            raise ValidationError(self.error_messages["required"], code="required")


class ImportDateField(forms.DateField):
    """A date as Danish offices write it, or a real date cell.

    Accepted: 31-12-2026, 31.12.2026, 31/12/2026, ISO 2026-12-31, and date cells. A bare
    number (46022) is an Excel serial number of a cell not formatted as a date: refused with a
    message that says so, because guessing would turn a typo into a date. Dates outside
    ``csrprogram.validation.IMPORTED`` (today - 30 years … today + 10 years) are refused as
    typos, by the date validator every form uses.
    """

    input_formats = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d")
    default_error_messages = {
        "invalid": gettext_lazy("”%(value)s” er ikke en dato. Skriv datoen som DD-MM-ÅÅÅÅ, "
                                "f.eks. 31-12-2026."),
        "excel_serial": gettext_lazy(
            "”%(value)s” er et Excel-serienummer, ikke en dato. Formatér cellen som dato, "
            "eller skriv datoen som DD-MM-ÅÅÅÅ."),
    }

    date_range = IMPORTED

    def __init__(self, **kwargs):
        super().__init__(input_formats=self.input_formats, **kwargs)

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        if re.fullmatch(r"\d{5}([.,]\d+)?", text):  # 10000–99999: 1927–2173
            raise ValidationError(self.error_messages["excel_serial"], code="excel_serial",
                                  params={"value": text})
        for fmt in self.input_formats:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid",
                              params={"value": text[:40]})

    def validate(self, value):
        super().validate(value)
        validate_date_in_range(value, self.date_range)


class ImportFileField(forms.FileField):
    """The upload field of every import form: CSV or XLSX, at most ``MAX_BYTES``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Fil"))
        kwargs.setdefault("widget", forms.ClearableFileInput(
            attrs={"accept": ",".join(FILE_EXTENSIONS)}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        if not str(value.name).lower().endswith(FILE_EXTENSIONS):
            raise ValidationError(_("Vælg en CSV-fil (.csv) eller en Excel-fil (.xlsx)."),
                                  code="file_type")
        if value.size > MAX_BYTES:
            raise ValidationError(_("Filen er for stor (højst %(size)s MB).")
                                  % {"size": MAX_BYTES // (1024 * 1024)}, code="too_large")
