from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamafza.core.models import AuditEntry
from hamafza.occasions import services
from hamafza.persian.lunar import format_hijri, to_hijri

ARBAEEN_1448 = date(2026, 8, 4)


def test_an_override_moves_every_lunar_date_the_project_shows(admin_user):
    assert format_hijri(ARBAEEN_1448) == "۲۰ صفر ۱۴۴۸"
    # The moon is sighted a day early: Safar 1448 begins on 15 July instead of 16 July.
    services.lunar_month_override(
        actor=admin_user, hijri_year=1448, month=2, first_day=date(2026, 7, 15)
    )
    assert to_hijri(ARBAEEN_1448)[:3] == (1448, 2, 21)
    assert AuditEntry.objects.filter(
        action="occasions.lunar_month.overridden", actor=admin_user
    ).exists()


def test_an_override_making_a_month_31_days_long_is_refused_in_persian(admin_user):
    with pytest.raises(ValidationError) as refused:
        services.lunar_month_override(
            actor=admin_user, hijri_year=1448, month=2, first_day=date(2026, 7, 20)
        )
    assert "۲۹ یا ۳۰ روز" in " ".join(refused.value.messages)
    assert format_hijri(ARBAEEN_1448) == "۲۰ صفر ۱۴۴۸"


def test_only_network_admins_edit_the_calendar(owner):
    with pytest.raises(PermissionDenied):
        services.lunar_month_override(
            actor=owner, hijri_year=1448, month=2, first_day=date(2026, 7, 16)
        )


def test_calendar_page_lists_months_and_takes_a_jalali_correction(admin_user, login):
    client = login(admin_user)
    page = client.get("/calendar/lunar/")
    assert page.status_code == 200
    assert "صفر" in page.content.decode()
    # ۱۴۰۵/۰۴/۲۴ is 15 July 2026, typed with Persian digits.
    response = client.post(
        "/calendar/lunar/", {"hijri_year": "۱۴۴۸", "month": "2", "first_day": "۱۴۰۵/۰۴/۲۴"}
    )
    assert response.status_code == 302
    assert to_hijri(ARBAEEN_1448)[:3] == (1448, 2, 21)
    assert "آغاز ماه قمری اصلاح شد." in client.get(response["Location"]).content.decode()


def test_removing_one_of_several_corrections_cannot_leave_a_28_day_month(admin_user):
    # Safar, Rabi I and Rabi II 1448 all begin a day early; taking back only Safar's would
    # leave Safar 28 days long: refused.
    # (Consistent only together, so they are stored directly: the service checks one month
    # at a time.)
    from hamafza.occasions.models import LunarMonthOverride

    for month, first in ((2, date(2026, 7, 15)), (3, date(2026, 8, 13)), (4, date(2026, 9, 12))):
        LunarMonthOverride.objects.create(hijri_year=1448, month=month, first_day=first)

    safar = LunarMonthOverride.objects.get(month=2)
    with pytest.raises(ValidationError):
        services.lunar_month_override_remove(actor=admin_user, override=safar)
    assert LunarMonthOverride.objects.filter(month=2).exists()


def test_a_month_and_those_after_it_move_together(admin_user):
    # Safar, Rabi I and Rabi II each a day early: refused one by one, accepted together.
    services.lunar_month_override(
        actor=admin_user, hijri_year=1448, month=2, first_day=date(2026, 7, 15), following_months=2
    )
    assert to_hijri(date(2026, 8, 13))[:3] == (1448, 3, 1)
    assert to_hijri(date(2026, 9, 12))[:3] == (1448, 4, 1)
