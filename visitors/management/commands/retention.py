from django.core.management.base import BaseCommand

from visitors.erasure import retention_apply
from visitors.models import PrivacySettings


class Command(BaseCommand):
    help = "Show (default) or erase (--run) the records past the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--run", action="store_true", help="Erase them (default: dry run).")

    def handle(self, *args, run=False, **options):
        months = PrivacySettings.current().retention_months
        if not months:
            self.stdout.write("No retention period is set: nothing is erased.")
            return
        ids = retention_apply(dry_run=not run)
        verb = "Erased" if run else "Would erase"
        self.stdout.write(f"{verb} {len(ids)} record(s) with no contact for {months} months.")
        if ids and not run:
            self.stdout.write("Record numbers: " + ", ".join(f"#{pk}" for pk in ids))
