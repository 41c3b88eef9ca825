"""Files to upload to the imports, made as the programs that offices use would make them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

FIELD_CASES = Path(__file__).parent / "fixtures" / "field-cases"


def csv_bytes(rows: Iterable[Sequence], *, delimiter: str = ";", encoding: str = "utf-8-sig",
              line_end: str = "\r\n") -> bytes:
    """Rows as Excel writes them: cells quoted only when they must be."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = "" if cell is None else str(cell)
            if any(char in text for char in (delimiter, '"', "\n", "\r")):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return (line_end.join(lines) + line_end).encode(encoding)


def csv_upload(rows: Iterable[Sequence], name: str = "ark.csv", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, **kwargs), content_type="text/csv")


def xlsx_bytes(rows: Iterable[Sequence], *, merged: Iterable[str] = (),
               number_formats: dict[str, str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for cells in merged:
        sheet.merge_cells(cells)
    for coordinate, number_format in (number_formats or {}).items():
        sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows: Iterable[Sequence], name: str = "ark.xlsx", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows, **kwargs))


def xlsx_rewrite_sheet(content: bytes, rewrite) -> bytes:
    """The same workbook with its first sheet's XML passed through ``rewrite(text) -> text``
    (to write what other generators write: a wrong <dimension>, formatted empty rows, …)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = rewrite(data.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, data)
    return buffer.getvalue()


def field_case(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIELD_CASES / name).read_bytes())
