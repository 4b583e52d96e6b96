"""`hamafza ingest FILE|URL [--json]`: turn a scraped article into one clean article."""

from django.core.management.base import BaseCommand

from hamafza.persian.text.cli import run_ingest


class Command(BaseCommand):
    help = "تبدیل خبر خراشیده‌شده (متن یا HTML، پرونده یا نشانی) به یک خبر پاکیزه"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "source", help="path to a text/HTML file, an http(s) URL, or - for standard input"
        )
        parser.add_argument("--json", action="store_true", help="the article as a JSON object")

    def handle(self, *args, **options) -> None:
        self.stdout.write(run_ingest(options["source"], as_json=options["json"]))
