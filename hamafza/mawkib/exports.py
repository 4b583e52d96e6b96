"""Reports written out: as cells for a page or a PDF (Persian digits, Jalali dates), as an
Excel workbook (numbers stay numbers, dates as Jalali text plus an ISO date, every text
cell defused against formula injection) and as a PDF drawn by WeasyPrint, whose Pango and
HarfBuzz shape Persian and lay it right to left.

`report_export` is the one way out of the building for a report: it checks the
permission, masks personal data for those who may not see it, and audits who took what."""

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jdatetime
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit
from hamafza.core.permissions import can, require
from hamafza.persian.dates import jalali_date, jalali_datetime
from hamafza.persian.digits import format_number, to_persian_digits
from hamafza.persian.typed import strip_bidi_controls

from .charts import chart_html, chart_svg
from .models import Season
from .reports import Column, Kind, Report, Table, build_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
FORMATS = {"xlsx": XLSX, "pdf": PDF}
# One audit action per report (reports.REPORT_NAMES), written out so each has its label.
EXPORT_ACTIONS = {
    "service": "mawkib.export.service",
    "volunteers": "mawkib.export.volunteers",
    "agencies": "mawkib.export.agencies",
    "seasons": "mawkib.export.seasons",
}

# A spreadsheet runs a cell that begins with one of these as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters an .xlsx cannot hold at all (openpyxl refuses them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "vazirmatn" / "fonts" / "ttf"


# --- cells for people: pages and PDFs ---------------------------------------------------------


def display_cell(column: Column, value) -> str:
    if value is None or value == "":
        return ""
    if column.kind == Kind.INT:
        return format_number(value)
    if column.kind == Kind.HOURS:
        return format_number(value, decimals=1)
    if column.kind == Kind.DATE:
        return jalali_date(value)
    return to_persian_digits(value) if column.kind == Kind.CODE else str(value)


def display_table(table: Table) -> dict:
    """The table as strings ready for a template: header, rows and the totals line. Each
    cell says whether it is a code (kept left to right, so "۰۹۱۲***۴۵۶۷" does not turn
    around inside a right-to-left line)."""

    def cells(values):
        return [
            {"text": text, "ltr": column.kind == Kind.CODE}
            for column, text in zip(table.columns, values, strict=True)
        ]

    totals = None
    if table.totals is not None:
        values = [display_cell(c, table.totals.get(c.key)) for c in table.columns]
        values[0] = _("جمع")
        totals = cells(values)
    return {
        "title": table.title,
        "columns": table.columns,
        "rows": [
            cells(display_cell(c, row.get(c.key)) for c in table.columns) for row in table.rows
        ],
        "totals": totals,
    }


def report_context(report: Report) -> dict:
    return {
        "report": report,
        "tables": [display_table(t) for t in report.tables],
        "charts": [{"title": c.title, "svg": chart_svg(c)} for c in report.charts],
    }


# --- Excel ---------------------------------------------------------------------------------------


def excel_text(value) -> str:
    """Text that a spreadsheet will show and never run: a leading apostrophe defuses a
    cell that would start a formula (`=HYPERLINK(…)`, `+1`, `@SUM`, a tab …). Bidi
    controls go too, for rows stored before names were cleaned on input."""
    text = strip_bidi_controls(_ILLEGAL_XML.sub("", str(value)))  # a name cannot turn a row
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _header(column: Column) -> list[str]:
    if column.kind == Kind.DATE:
        return [f"{column.label} ({_('شمسی')})", f"{column.label} (ISO)"]
    return [column.label]


def _write(sheet, row: int, col: int, column: Column, value) -> int:
    """Write one value (two cells for a date); return the next free column."""
    if column.kind == Kind.DATE:
        if isinstance(value, date):
            jalali = jdatetime.date.fromgregorian(date=value)
            _text_cell(sheet, row, col, f"{jalali.year:04d}/{jalali.month:02d}/{jalali.day:02d}")
            cell = sheet.cell(row=row, column=col + 1, value=value)
            cell.number_format = "yyyy-mm-dd"
        return col + 2
    if column.kind in (Kind.INT, Kind.HOURS) and isinstance(value, int | float):
        cell = sheet.cell(row=row, column=col, value=value)
        cell.number_format = "0" if column.kind == Kind.INT else "0.00"
    elif value is not None:
        _text_cell(sheet, row, col, value)
    return col + 1


def _text_cell(sheet, row: int, col: int, value) -> None:
    cell = sheet.cell(row=row, column=col)
    cell.value = excel_text(value)
    cell.data_type = "s"  # an explicit string: never read back as a formula


def _sheet_title(title: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "sheet"
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:25]} {n}", n + 1
    taken.add(name)
    return name


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E6F0F2")
    for table in report.tables:
        sheet = book.create_sheet(_sheet_title(table.title, taken))
        sheet.sheet_view.rightToLeft = True
        col = 1
        for column in table.columns:
            for header in _header(column):
                cell = sheet.cell(row=1, column=col)
                _text_cell(sheet, 1, col, header)
                cell.font, cell.fill = bold, fill
                sheet.column_dimensions[cell.column_letter].width = max(12, len(header) + 4)
                col += 1
        for r, row in enumerate(table.rows, start=2):
            col = 1
            for column in table.columns:
                col = _write(sheet, r, col, column, row.get(column.key))
        if table.totals is not None:
            r, col = len(table.rows) + 2, 1
            for index, column in enumerate(table.columns):
                start = col
                if index == 0:  # the label of the totals line, whatever the first column holds
                    col = _write(sheet, r, col, Column(column.key, column.label), _("جمع"))
                else:
                    col = _write(sheet, r, col, column, table.totals.get(column.key))
                for c in range(start, col):
                    sheet.cell(row=r, column=c).font = bold
        sheet.freeze_panes = "A2"
    about = book.create_sheet(_sheet_title(_("درباره گزارش"), taken))
    about.sheet_view.rightToLeft = True
    lines = [
        report.title,
        report.season.title,
        _("تهیه‌شده در %(when)s") % {"when": jalali_datetime(timezone.now())},
        *report.notes,
    ]
    if report.masked:
        lines.append(_("کد ملی و تلفن همراه پوشانده شده است."))
    for r, line in enumerate(lines, start=1):
        _text_cell(about, r, 1, line)
    about.column_dimensions["A"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def pdf_font_css() -> str:
    """Vazirmatn from the npm package when it is there; DejaVu Sans (which has the Arabic
    script) from the system otherwise."""
    regular, bold = FONT_DIR / "Vazirmatn-Regular.ttf", FONT_DIR / "Vazirmatn-Bold.ttf"
    if regular.exists():
        faces = f'@font-face {{ font-family: "HamafzaPdf"; src: url("{regular.as_uri()}"); }}'
        if bold.exists():
            faces += (
                f'@font-face {{ font-family: "HamafzaPdf"; font-weight: 700; '
                f'src: url("{bold.as_uri()}"); }}'
            )
        return faces + ' :root { --pdf-font: "HamafzaPdf", "DejaVu Sans", sans-serif; }'
    return ':root { --pdf-font: "DejaVu Sans", sans-serif; }'


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=fonts)


def report_html_for_pdf(report: Report) -> str:
    context = {
        "report": report,
        "tables": [display_table(t) for t in report.tables],
        "charts": [{"title": c.title, "html": chart_html(c)} for c in report.charts],
    }
    context.update(font_css=pdf_font_css(), generated_at=timezone.now())
    return render_to_string("mawkib/reports/report_pdf.html", context)


def report_pdf(report: Report) -> bytes:
    return html_to_pdf(report_html_for_pdf(report))


# --- the audited way out --------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str


def report_export(*, actor, season: Season, name: str, fmt: str) -> Export:
    """A report as a file, for someone allowed to read reports. The file is drawn first,
    outside any transaction (a PDF takes a moment, and SQLite would hold its write lock
    all that time); the audit entry follows in its own short one."""
    require(actor, "mawkib.reports")
    if fmt not in FORMATS:
        raise ValueError(fmt)
    personal = can(actor, "mawkib.view_personal_data")
    report = build_report(name, season, personal=personal)
    content = report_xlsx(report) if fmt == "xlsx" else report_pdf(report)
    with transaction.atomic():
        audit(
            actor=actor,
            action=EXPORT_ACTIONS[name],
            target=season,
            data={
                "format": fmt,
                "rows": sum(len(t.rows) for t in report.tables),
                "personal_data": personal,
            },
        )
    return Export(content, f"mawkib-{name}-{season.hijri_year}.{fmt}", FORMATS[fmt])
