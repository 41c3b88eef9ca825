"""Exports of the dashboard: targets against actuals and the breakdowns, as CSV, XLSX and PDF.

All three are built from one ``Dashboard`` so they always show the same numbers as the page.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from csrprogram import exports
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


def download_name(*, programme_name: str, as_of, extension: str) -> str:
    """The name of an export of a programme's figures, e.g. ``måltal-csr-strategi-2017-
    2018-03-01.xlsx``: Danish letters kept (sent as RFC 6266 ``filename*``)."""
    return f"måltal-{slugify(programme_name, allow_unicode=True)}-{as_of:%Y-%m-%d}.{extension}"


def _filename(board: Dashboard, extension: str) -> str:
    return download_name(programme_name=board.programme.name, as_of=board.as_of,
                         extension=extension)


def dashboard_csv(board: Dashboard) -> tuple[str, bytes]:
    """Semicolon-separated with a byte-order mark, as Danish Excel opens it directly."""
    title = _("Måltal for %(programme)s pr. %(date)s") % {
        "programme": board.programme.name, "date": date_format(board.as_of)}
    rows = [[title], target_header(), *target_lines(board), [], breakdown_header(),
            *breakdown_lines(board), [], definition_header(), *definition_lines(board)]
    return _filename(board, "csv"), exports.csv_bytes(rows)


def _table_sheet(workbook: Workbook, title: str, header: list[str], lines: list[list], *,
                 widths: dict[str, int]) -> None:
    """A sheet with a bold header row, the lines, and the given column widths."""
    sheet = workbook.create_sheet(title[:31])
    exports.xlsx_append(sheet, header, bold=True)
    for line in lines:
        exports.xlsx_append(sheet, line)
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width


def dashboard_xlsx(board: Dashboard) -> tuple[str, bytes]:
    workbook = exports.xlsx_workbook()
    sheet = workbook.active
    sheet.title = _("Måltal")[:31]
    exports.xlsx_append(sheet, [_("Måltal for %(programme)s pr. %(date)s") % {
        "programme": board.programme.name, "date": date_format(board.as_of)}], bold=True)
    exports.xlsx_append(sheet, target_header(), bold=True)
    for line in target_lines(board):
        exports.xlsx_append(sheet, line)
    sheet.column_dimensions["A"].width = 40
    _table_sheet(workbook, _("Fordeling"), breakdown_header(), breakdown_lines(board),
                 widths={"B": 40, "C": 40})
    _table_sheet(workbook, _("Definitioner"), definition_header(), definition_lines(board),
                 widths={"A": 35, "B": 120})
    return _filename(board, "xlsx"), exports.xlsx_bytes(workbook)


def funder_filename(job) -> str:
    """The download name of a funder report job's PDF (never the storage's suffixed name)."""
    return download_name(programme_name=job.programme.name, as_of=job.as_of, extension="pdf")


def funder_pdf(board: Dashboard, *, language: str) -> tuple[str, bytes]:
    return render_pdf(
        template_name="csrprogram/report_pdf.html",
        context={"board": board, "programme": board.programme},
        filename=_filename(board, "pdf"),
        language=language,
    )
