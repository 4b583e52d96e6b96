"""Personal data is kept for the season and two years, as the privacy page promises."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from hamafza.mawkib.models import Application, Assignment, Season
from hamafza.mawkib.services.retention import applications_erase_expired


def test_two_years_after_arbaeen_the_personal_data_goes_and_the_counts_stay(
    season, volunteer, shifts, mawkibs, roles, demand_for
):
    from hamafza.mawkib.services import roster

    roster.shift_signup(
        application=volunteer, demand_id=demand_for(mawkibs["mirjaveh"], roles["serving"], "men").pk
    )
    assert applications_erase_expired(today=season.arbaeen + timedelta(days=365)) == 0  # still kept
    assert applications_erase_expired(today=season.arbaeen + timedelta(days=2 * 365 + 1)) == 1
    erased = Application.objects.get(pk=volunteer.pk)
    assert (
        erased.national_code != volunteer.national_code
        and erased.mobile == ""
        and erased.emergency_mobile == ""
    )
    assert erased.first_name == "—" and erased.erased_at is not None
    assert (
        Assignment.objects.filter(application=erased).count() == 1
    )  # hours and shifts still count
    assert (
        applications_erase_expired(today=season.arbaeen + timedelta(days=2 * 365 + 2)) == 0
    )  # once


def test_the_daily_command_erases_a_season_two_years_past_and_says_how_many(season, volunteer):
    Season.objects.filter(pk=season.pk).update(hijri_year=1444)  # Arbaeen in September 2022
    assert Season.objects.get(pk=season.pk).arbaeen < timezone.localdate() - timedelta(days=730)
    out = io.StringIO()
    call_command("mawkib_erase", stdout=out)
    assert out.getvalue().strip() == "درخواست‌های پاک‌شده: 1"
    assert Application.objects.get(pk=volunteer.pk).erased_at is not None
