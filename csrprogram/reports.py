"""Exports of the dashboard: targets against actuals and the breakdowns, as CSV, XLSX and PDF.

All three are built from one ``Dashboard`` so they always show the same numbers as the page.
"""

from __future__ import annotations

import csv
import io

from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from csrprogram.dashboard import Dashboard
from csrprogram.pdf import render_pdf


def target_header() -> list[str]:
    return [_("Nøgletal"), _("Type"), _("Frist"), _("Mål"), _("Resultat"), _("Opgjort til"),
            _("Fremdrift (%)"), _("Fremskrevet til fristen"), _("Status"),
            _("Andel: tæller af nævner")]


def target_lines(board: Dashboard) -> list[list]:
    lines = []
    for row in board.rows:
        target = row.target
        kind = (_("%(value)s af %(reference)s") % {
            "value": target.value_display, "reference": target.reference.metric_label}
            if target.is_percentage and target.reference else _("Absolut"))
        counts = ""
        if row.is_share:
            kind = _("Andel (%)")
            if row.denominator is not None:
                counts = _("%(numerator)s af %(denominator)s") % {
                    "numerator": row.numerator, "denominator": row.denominator}
        lines.append([
            row.metric_label, kind, target.deadline, row.target_value, row.actual,
            row.counted_until, row.progress, row.projected, row.status_label, counts,
        ])
    return lines


def breakdown_lines(board: Dashboard) -> list[list]:
    """One line per (dimension, row, metric): long format, easy to pivot in a spreadsheet."""
    lines = []
    for table in board.breakdowns:
        for label, cells in table.rows:
            for (_key, metric_label), cell in zip(table.metrics, cells, strict=True):
                if cell is not None:
                    lines.append([table.label, label, metric_label, cell.count])
    return lines


def definition_header() -> list[str]:
    return [_("Nøgletal"), _("Sådan er tallet opgjort")]


def definition_lines(board: Dashboard) -> list[list]:
    """Each target metric's one-sentence definition, and the rule behind the status."""
    return [*([label, definition] for label, definition in board.definitions),
            [_("Status"), board.verdict_rule]]


def breakdown_header() -> list[str]:
    return [_("Fordelt på"), _("Navn"), _("Nøgletal"), _("Antal")]


def _filename(board: Dashboard, extension: str) -> str:
    return f"maaltal-{slugify(board.programme.name)}-{board.as_of:%Y-%m-%d}.{extension}"


def _csv_value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def dashboard_csv(board: Dashboard) -> tuple[str, bytes]:
    """Semicolon-separated with a byte-order mark, as Danish Excel opens it directly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Måltal for %(programme)s pr. %(date)s") % {
        "programme": board.programme.name, "date": board.as_of.isoformat()}])
    writer.writerow(target_header())
    for line in target_lines(board):
        writer.writerow([_csv_value(value) for value in line])
    writer.writerow([])
    writer.writerow(breakdown_header())
    for line in breakdown_lines(board):
        writer.writerow([_csv_value(value) for value in line])
    writer.writerow([])
    writer.writerow(definition_header())
    for line in definition_lines(board):
        writer.writerow(line)
    return _filename(board, "csv"), ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _table_sheet(workbook: Workbook, title: str, header: list[str], lines: list[list], *,
                 widths: dict[str, int]) -> None:
    """A sheet with a bold header row, the lines, and the given column widths."""
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(line)
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width


def dashboard_xlsx(board: Dashboard) -> tuple[str, bytes]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Måltal")[:31]
    sheet.append([_("Måltal for %(programme)s pr. %(date)s") % {
        "programme": board.programme.name, "date": date_format(board.as_of)}])
    sheet["A1"].font = Font(bold=True)
    sheet.append(target_header())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for line in target_lines(board):
        sheet.append(line)
    for column in ("C", "F"):
        for cell in sheet[column][2:]:
            cell.number_format = "DD-MM-YYYY"
    sheet.column_dimensions["A"].width = 40
    _table_sheet(workbook, _("Fordeling"), breakdown_header(), breakdown_lines(board),
                 widths={"B": 40, "C": 40})
    _table_sheet(workbook, _("Definitioner"), definition_header(), definition_lines(board),
                 widths={"A": 35, "B": 120})
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _filename(board, "xlsx"), buffer.getvalue()


def funder_pdf(board: Dashboard, *, language: str) -> tuple[str, bytes]:
    return render_pdf(
        template_name="csrprogram/report_pdf.html",
        context={"board": board, "programme": board.programme},
        filename=_filename(board, "pdf"),
        language=language,
    )
