"""`hamafza textfix FILE`: print the text with every safe correction applied (- reads stdin)."""

from django.core.management.base import BaseCommand

from hamafza.persian.text.cli import run_textfix


class Command(BaseCommand):
    help = "اصلاح خودکار متن فارسی (فقط اصلاحات مطمئن)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="path to a UTF-8 text file, or - for standard input")

    def handle(self, *args, **options) -> None:
        self.stdout.write(run_textfix(options["file"]), ending="")
