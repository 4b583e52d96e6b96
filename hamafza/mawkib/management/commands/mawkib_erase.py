"""`hamafza mawkib_erase`: erase volunteers' personal data two years after their season
(run it daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from hamafza.mawkib.services.retention import applications_erase_expired


class Command(BaseCommand):
    help = "پاک کردن اطلاعات شخصی خادمان دو سال پس از فصل اربعین"

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"درخواست‌های پاک‌شده: {applications_erase_expired()}")
