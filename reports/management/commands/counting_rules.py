"""Print the counting rules in every language (docs/counting-rules.md)."""

from django.core.management.base import BaseCommand

from reports.rules import rules_markdown


class Command(BaseCommand):
    help = "Print the reports' counting rules in every language, as Markdown."

    def handle(self, *args, **options):
        self.stdout.write(rules_markdown(), ending="")
