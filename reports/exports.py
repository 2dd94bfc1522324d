"""A report as a file: CSV, XLSX or PDF, in a chosen language. The dashboard's download, the
`annual_report` command, the background export and the monthly email all call
`report_file`, so every format shows the same figures."""

import base64
import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from micenter.csv_safety import csv_safe
from reports.charts import breakdown_chart, months_chart
from reports.figures import Period, Report, report_build

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


def summary_text(report: Report) -> str:
    """The anniversary-style paragraph, from translated sentences."""
    figures = {h.key: formats.number_format(h.value, force_grouping=True) for h in report.headline}
    return " ".join(
        [
            _(
                "From %(start)s to %(end)s the centre recorded %(visits)s visits: "
                "%(unique_visitors)s people, %(new_visitors)s of them for the first time, "
                "and %(walk_ins)s anonymous walk-ins."
            )
            % {
                "start": formats.date_format(report.period.start, "DATE_FORMAT"),
                "end": formats.date_format(report.period.end, "DATE_FORMAT"),
                **figures,
            },
            _(
                "Advisers gave %(consultations)s consultations, %(group_sessions)s of them in "
                "groups."
            )
            % figures,
            _(
                "The centre held %(sessions_held)s event sessions, with %(attended)s "
                "check-ins at the door."
            )
            % figures,
        ]
    )


def month_labels() -> dict:
    return {
        "visits": _("Visits"),
        "consultations": _("Consultations"),
        "sessions": _("Event sessions"),
    }


def _shown(cell, report: Report):
    """A published report hides small counts as "<5"; otherwise the number itself."""
    return cell.shown if report.for_publication else cell.value


def _figure(figure, report: Report, previous: bool = False):
    if report.for_publication:
        return figure.previous_shown if previous else figure.shown
    return figure.previous if previous else figure.value


def _month_rows(report: Report):
    """The month-by-month table, heading first (the same in CSV and XLSX)."""
    labels = month_labels()
    yield [_("Month"), labels["visits"], labels["consultations"], labels["sessions"]]
    for month in report.months:
        yield [
            month["month"].strftime("%Y-%m"),
            month["visits"],
            month["consultations"],
            month["sessions"],
        ]


def _csv(report: Report) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheet programs then read UTF-8
    writer = csv.writer(out)
    writer.writerow([_("Period"), str(report.period)])
    writer.writerow([])
    writer.writerow([_("Figure"), _("This period"), _("Previous period")])
    for figure in report.headline:
        writer.writerow(
            [csv_safe(figure.label), _figure(figure, report), _figure(figure, report, True)]
        )
    for breakdown in report.breakdowns:
        writer.writerow([])
        writer.writerow([csv_safe(breakdown.title), _("Count")])
        for cell in breakdown.rows:
            writer.writerow([csv_safe(cell.label), csv_safe(_shown(cell, report))])
    writer.writerow([])
    writer.writerows(_month_rows(report))
    return out.getvalue().encode("utf-8")


def _xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    sheet.append([_("Period"), str(report.period)])
    sheet.append([])
    sheet.append([_("Figure"), _("This period"), _("Previous period")])
    for figure in report.headline:
        sheet.append(
            [csv_safe(figure.label), _figure(figure, report), _figure(figure, report, True)]
        )
    sheet.column_dimensions["A"].width = 40
    used = {sheet.title}
    for breakdown in report.breakdowns:
        title = breakdown.title[:31]
        while title in used:
            title = title[:29] + str(len(used))
        used.add(title)
        page = book.create_sheet(title)
        page.append([breakdown.title, _("Count")])
        page["A1"].font = Font(bold=True)
        for cell in breakdown.rows:
            # Labels an administrator typed (service names...) must not become formulas.
            page.append([csv_safe(cell.label), csv_safe(_shown(cell, report))])
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


def _pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "summary": summary_text(report),
            "charts": charts(report),
            "centre": _("Migration information centre, Vilnius"),
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
