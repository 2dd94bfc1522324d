"""A report as a file: CSV, XLSX or PDF, in a chosen language. The dashboard's download, the
`annual_report` command, the background export and the monthly email all call
`report_file`, so every format shows the same figures."""

import base64
import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.csv_safety import csv_safe
from reports.charts import breakdown_chart, months_chart
from reports.figures import HEADLINE, MONTH_COLUMNS, Period, Rate, Report, report_build
from reports.periods import comparison_text, period_text
from reports.rules import RULES, rule
from reports.summary import summary_text

__all__ = ["FORMATS", "charts", "month_labels", "report_file", "summary_text"]

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass
class ReportFile:
    content: bytes
    content_type: str
    filename: str


def month_labels() -> dict:
    """The month table's columns, named as the headline figures they add up to."""
    return {column: str(HEADLINE[figure][0]) for column, figure in MONTH_COLUMNS.items()}


def withheld_text() -> str:
    return _("Not broken down, so that no count under 5 can be worked out.")


def _out(value, shown: str, report: Report):
    """A number as a number; for publication, a hidden count's mark instead."""
    if not report.for_publication or shown == str(value):
        return value
    return shown


def _change(figure, report: Report):
    if report.for_publication and figure.change_hidden:
        return "x"
    return "" if figure.change_percent is None else figure.change_percent


def _rate(value, hidden: bool):
    return "x" if hidden else ("" if value is None else value)


def _period_rows(report: Report) -> list[list]:
    period, previous = report.period, report.previous_period
    return [
        [_("Period"), period.start.isoformat(), period.end.isoformat(), period_text(period)],
        [
            _("Previous period"),
            previous.start.isoformat(),
            previous.end.isoformat(),
            comparison_text(period),
        ],
        [_("Summary"), summary_text(report)],
    ]


def _headline_rows(report: Report) -> list[list]:
    """The figures of both periods by question, each with its change and its rule."""
    rows = [[_("Figure"), _("This period"), _("Previous period"), _("Change (%)"), _("Rule")]]
    for title, figures in report.sections:
        rows.append([title])
        for figure in figures:
            if isinstance(figure, Rate):
                rows.append(
                    [
                        csv_safe(figure.label),
                        _rate(figure.value, report.for_publication and figure.hidden),
                        _rate(figure.previous, report.for_publication and figure.previous_hidden),
                        "",
                        rule(figure.rule).number,
                    ]
                )
            else:
                rows.append(
                    [
                        csv_safe(figure.label),
                        _out(figure.value, figure.shown, report),
                        _out(figure.previous, figure.previous_shown, report),
                        _change(figure, report),
                        rule(figure.rule).number,
                    ]
                )
    return rows


def _rule_rows() -> list[list]:
    return [[_("Counting rules")]] + [[item.number, str(item.text)] for item in RULES]


def _summary_rows(report: Report) -> list[list]:
    return [*_period_rows(report), [], *_headline_rows(report), [], *_rule_rows()]


def _breakdown_rows(breakdown, report: Report) -> list[list]:
    """A breakdown, heading first; then its total (the headline figure its rows add up to)
    and the rows outside the total."""
    rows = [[csv_safe(breakdown.title), _("Count")]]
    if report.for_publication and breakdown.withheld:
        rows.append([withheld_text()])
    else:
        # Labels an administrator typed (service names...) must not become formulas.
        rows += [
            [csv_safe(cell.label), csv_safe(_out(cell.value, cell.shown, report))]
            for cell in breakdown.rows
        ]
    for cell in [breakdown.total_row, *breakdown.extra]:
        if cell is not None:
            rows.append([csv_safe(cell.label), _out(cell.value, cell.shown, report)])
    return rows


def _month_rows(report: Report) -> list[list]:
    """The month-by-month table, heading first and the total last."""
    labels = month_labels()
    rows = [[_("Month"), *(labels[column] for column in MONTH_COLUMNS)]]
    for month in report.months:
        rows.append(
            [
                month["month"].strftime("%Y-%m"),
                *(_out(month[c], month["shown"][c], report) for c in MONTH_COLUMNS),
            ]
        )
    totals = [_out(h.value, h.shown, report) for h in report.month_totals]
    rows.append([_("Total"), *totals])
    return rows


def _csv(report: Report) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheet programs then read UTF-8
    writer = csv.writer(out)
    writer.writerows(_summary_rows(report))
    for breakdown in report.breakdowns:
        writer.writerow([])
        writer.writerows(_breakdown_rows(breakdown, report))
    writer.writerow([])
    writer.writerows(_month_rows(report))
    return out.getvalue().encode("utf-8")


def _xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    for row in _summary_rows(report):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 40
    used = {sheet.title}
    for breakdown in report.breakdowns:
        title = breakdown.title[:31]
        while title in used:
            title = title[:29] + str(len(used))
        used.add(title)
        page = book.create_sheet(title)
        for row in _breakdown_rows(breakdown, report):
            page.append(row)
        page["A1"].font = Font(bold=True)
        page.column_dimensions["A"].width = 40
    months = book.create_sheet(_("By month")[:31])
    for row in _month_rows(report):
        months.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def charts(report: Report) -> dict:
    """The dashboard's and the PDF's pictures (as data: URIs), by name."""
    shown = ("consultations_by_service", "people_by_citizenship", "people_by_age_band")
    return {
        "months": _data_uri(months_chart(report, month_labels())),
        **{
            key: _data_uri(breakdown_chart(report.breakdown(key)))
            for key in shown
            # A published report draws no bars for counts it hides; an empty one draws none.
            if any(c.value for c in report.breakdown(key).rows) and not report.for_publication
        },
    }


def page_context(report: Report) -> dict:
    """What the dashboard and the PDF show besides the figures: the periods in sentences,
    the counting rules, the month table's column names."""
    return {
        "period_text": period_text(report.period),
        "comparison_text": comparison_text(report.period),
        "rules": RULES,
        "labels": month_labels(),
        "withheld_text": withheld_text(),
        "publication_rule": rule("publication").number,
    }


def _pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "summary": summary_text(report),
            "charts": charts(report),
            "centre": _("Migration information centre, Vilnius"),
            **page_context(report),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def report_file(
    *, period: Period, fmt: str, language: str, for_publication: bool = False
) -> ReportFile:
    """The report for `period` as a file in `fmt` (csv, xlsx, pdf), written in `language`."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}")
    with translation.override(language):
        report = report_build(period, for_publication=for_publication)
        content = {"csv": _csv, "xlsx": _xlsx, "pdf": _pdf}[fmt](report)
    suffix = "-published" if for_publication else ""
    return ReportFile(
        content=content,
        content_type=FORMATS[fmt],
        filename=f"micenter-{period.start}-{period.end}{suffix}.{fmt}",
    )
