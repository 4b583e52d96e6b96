"""Keeping personal data no longer than the privacy page promises: the season and two
years after it. Then the national code, the phones, the names and the emergency contact
go, and what remains counts (shifts, hours, agencies) without naming anyone."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from hamafza.core.audit import audit

from ..models import Application, ApplicationOtp, Season

KEEP_FOR = timedelta(days=2 * 365)


def seasons_past_keeping(today: date | None = None) -> list[Season]:
    today = today or timezone.localdate()
    return [season for season in Season.objects.all() if season.arbaeen + KEEP_FOR < today]


@transaction.atomic
def applications_erase_expired(*, today: date | None = None) -> int:
    """Erase the personal data of every application whose season ended more than two
    years ago; returns how many were erased. Safe to run again."""
    seasons = seasons_past_keeping(today)
    erased = 0
    for application in Application.objects.select_for_update().filter(
        season__in=seasons, erased_at__isnull=True
    ):
        application.national_code = f"~{application.pk}"[
            :10
        ]  # unique within the season, names no one
        application.first_name, application.last_name = "—", ""
        application.mobile = application.emergency_mobile = application.emergency_name = ""
        application.skills_note = ""
        application.birth_date = date(application.birth_date.year, 1, 1)  # the age group stays
        application.erased_at = timezone.now()
        application.save()
        erased += 1
    ApplicationOtp.objects.filter(application__season__in=seasons).delete()
    if erased:
        audit(
            actor=None,
            action="mawkib.applications.erased",
            data={"count": erased, "seasons": [s.pk for s in seasons]},
        )
    return erased
