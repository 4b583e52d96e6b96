"""The back office (Django admin) in Persian with Jalali dates, looking at data that only
the app's services may change."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from hamafza.network.models import AudienceSnapshot, Channel


@pytest.fixture
def superuser(db, password):
    return get_user_model().objects.create_superuser("root", password=password)


@pytest.mark.slow
def test_admin_lists_dates_in_jalali(login, superuser, agency):
    channel = Channel.objects.create(organisation=agency, kind="bale", handle="@b")
    AudienceSnapshot.objects.create(
        channel=channel, taken_on=date(2026, 8, 8), members=10, source="manual"
    )
    page = login(superuser).get("/admin/network/audiencesnapshot/").content.decode()
    assert "۱۷ مرداد ۱۴۰۵" in page
    assert "2026" not in page.split("<tbody>")[1]


@pytest.mark.slow
def test_admin_edits_dates_in_jalali(login, superuser, owner):
    page = login(superuser).get(f"/admin/core/user/{owner.pk}/change/").content.decode()
    assert "data-jalali-date" in page  # the Jalali date box, not Django's Gregorian calendar


@pytest.mark.slow
def test_admin_cannot_edit_what_the_services_guard(login, superuser, agency):
    client = login(superuser)
    assert (
        client.get(f"/admin/network/organisation/{agency.pk}/change/").status_code == 200
    )  # view only
    response = client.post(f"/admin/network/organisation/{agency.pk}/change/", {"name": "ربوده"})
    assert response.status_code == 403
    agency.refresh_from_db()
    assert agency.name == "اداره کل بهزیستی"
