"""Exports of the dashboard: targets against actuals and the breakdowns, as CSV, XLSX and PDF.

All three are built from one ``Dashboard`` so they always show the same numbers as the page.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from csrprogram import exports
from csrprogram.dashboard import Dashboard
from csrprogram.pdf import render_pdf


def target_header() -> list[str]:
    return [_("Nøgletal"), _("Type"), _("Frist"), _("Mål"), _("Resultat"), _("Opgjort til"),
            _("Fremdrift (%)"), _("Fremskrevet til fristen"), _("Status")]


def target_lines(board: Dashboard) -> list[list]:
    lines = []
    for row in board.rows:
        target = row.target
        kind = (_("%(value)s af %(reference)s") % {
            "value": target.value_display, "reference": target.reference.metric_label}
            if target.is_percentage and target.reference else _("Absolut"))
        lines.append([
            row.metric_label, kind, target.deadline, row.target_value, row.actual,
            row.counted_until, row.progress, row.projected, row.status_label,
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
            *breakdown_lines(board)]
    return _filename(board, "csv"), exports.csv_bytes(rows)


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
    breakdowns = workbook.create_sheet(_("Fordeling")[:31])
    exports.xlsx_append(breakdowns, breakdown_header(), bold=True)
    for line in breakdown_lines(board):
        exports.xlsx_append(breakdowns, line)
    breakdowns.column_dimensions["B"].width = 40
    breakdowns.column_dimensions["C"].width = 40
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
