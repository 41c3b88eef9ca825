"""The one export writer: every CSV and XLSX file the product writes goes through here.

Files we write are opened in Excel (STYLE.md 16), so a text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return would run as a formula (CSV/formula
injection, OWASP): a company named ``=HYPERLINK("http://x","y")`` becomes a live link.

- CSV: such a text is prefixed with an apostrophe (OWASP's advice; Excel then shows it as
  text). Semicolon-separated UTF-8 with a byte-order mark, as Danish Excel opens it directly.
- XLSX: every text is a string cell (``data_type`` ``s``) with Excel's quote prefix, so it is
  never a formula, even after editing; numbers stay numbers and dates are dates with a
  Danish number format.

Only text is neutralised: a number (``-1`` counted) is written as a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralised(text: str) -> str:
    """``text`` with an apostrophe in front if a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_cell(value) -> str:
    """A CSV field: text neutralised, dates ISO 8601 (datetimes in local time), None empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralised(value)
    return str(value)


class CsvExportWriter:
    """``csv.writer`` with our dialect, writing every field through ``csv_cell``.

    Writes to any text stream, an ``HttpResponse`` included (call ``start`` first to write the
    byte-order mark).
    """

    def __init__(self, stream):
        self.stream = stream
        self._writer = csv.writer(stream, delimiter=CSV_DELIMITER)

    def start(self) -> CsvExportWriter:
        self.stream.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
        return self

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """A whole CSV file (UTF-8 with a byte-order mark) of ``rows``."""
    buffer = io.StringIO()
    writer = CsvExportWriter(buffer).start()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_cell(sheet: Worksheet, value, *, bold: bool = False) -> Cell:
    """A cell for ``sheet``: text as text (never a formula), dates as dates, numbers as is."""
    cell = Cell(sheet)
    if isinstance(value, dt.datetime):
        cell.value = timezone.localtime(value).replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.value = value
        # Set after the value: openpyxl takes a text starting with "=" for a formula.
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_append(sheet: Worksheet, row: Iterable, *, bold: bool = False) -> None:
    """Append ``row`` to ``sheet`` through ``xlsx_cell``."""
    sheet.append([xlsx_cell(sheet, value, bold=bold) for value in row])


def xlsx_workbook() -> Workbook:
    """An empty workbook (its first sheet is there, to be named and filled)."""
    return Workbook()


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """An attachment named ``filename`` as given: æøå kept (RFC 6266 ``filename*``)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
