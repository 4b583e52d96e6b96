"""`hamafza textcheck FILE [--json]`: list the editorial findings in a Persian text."""

from django.core.management.base import BaseCommand

from hamafza.persian.text.cli import run_textcheck


class Command(BaseCommand):
    help = "بررسی ویرایشی متن فارسی (نیم‌فاصله، نویسه‌ها، نشانه‌گذاری، املا، ساختار)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="path to a UTF-8 text file, or - for standard input")
        parser.add_argument("--json", action="store_true", help="findings as a JSON list")

    def handle(self, *args, **options) -> None:
        self.stdout.write(run_textcheck(options["file"], as_json=options["json"]))
