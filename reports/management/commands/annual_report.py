"""python manage.py annual_report --year 2024 --format pdf --output report.pdf

The same code path as the dashboard's download (reports.exports.report_file)."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.exports import FORMATS, report_file
from reports.services import period_check


class Command(BaseCommand):
    help = "Write the centre's report for a year (or any period) as PDF, XLSX or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="A calendar year, e.g. 2024.")
        parser.add_argument("--from", dest="start", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], default="lt"
        )
        parser.add_argument(
            "--publication", action="store_true", help="Hide counts under 5 (for publishing)."
        )

    def handle(self, *args, year, start, end, fmt, output, language, publication, **options):
        if year and (start or end):
            raise CommandError("Give either --year or --from and --to.")
        if year:
            if not 1 <= year <= 9999:
                raise CommandError("Give a year such as 2024.")
            start, end = date(year, 1, 1), date(year, 12, 31)
        if not start or not end:
            raise CommandError("Give --year, or --from and --to.")
        try:
            period = period_check(start, end)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        made = report_file(period=period, fmt=fmt, language=language, for_publication=publication)
        path = Path(output)
        partial = path.with_name(path.name + ".partial")
        try:
            partial.write_bytes(made.content)
            partial.replace(path)  # whole or nothing
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {path}: {error.strerror or error}") from None
        self.stdout.write(f"Written {path} ({len(made.content):,} bytes).")
