"""`hamafza collect_audience`: read today's member counts from the platforms now (the
outbox worker also does it once a day by itself)."""

from django.core.management.base import BaseCommand

from hamafza.publishing.audience import audience_collect


class Command(BaseCommand):
    help = "جمع‌آوری شمار اعضای کانال‌ها از پیام‌رسان‌ها"

    def handle(self, *args, **options) -> None:
        counts = audience_collect()
        self.stdout.write(
            f"ثبت‌شده: {counts['recorded']}، بی‌آمار: {counts['no_figure']}، پیش‌تر: {counts['already']}"
        )
