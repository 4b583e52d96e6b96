"""A season like the article's: three mawkibs (Mirjaveh and Rimdan border crossings, the
Imam Reza pilgrim house), the service roles, shift templates and generated shifts, a
coordinator, and volunteers in every state."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from hamafza.mawkib.models import (
    Application,
    ApplicationStatus,
    Gender,
    Mawkib,
    MawkibKind,
    Season,
    ServiceRole,
    ShiftDemand,
    ShiftTemplate,
    Staffing,
    TemplateDemand,
)
from hamafza.mawkib.services.seasons import shifts_generate
from hamafza.network.models import County, Membership, Role

# Valid national codes (checksum) for test volunteers.
NATIONAL_CODES = [
    "0013542419",
    "3610020563",
    "3620017840",
    "3600195263",
    "0084575948",
    "0490164285",
]


@pytest.fixture
def coordinator(hub, password):
    user = get_user_model().objects.create_user(
        "coordinator", password=password, first_name="حسین", last_name="براهویی"
    )
    Membership.objects.create(user=user, organisation=hub, role=Role.VOLUNTEER_COORDINATOR)
    return user


@pytest.fixture
def season(db):
    now = timezone.now()
    return Season.objects.create(
        hijri_year=1449,
        title="اربعین ۱۴۴۹",
        signup_opens_at=now - timedelta(days=1),
        signup_closes_at=now + timedelta(days=60),
        edit_deadline=now + timedelta(days=30),
    )


@pytest.fixture
def mawkibs(season, county):
    rimdan_county = County.objects.create(
        province=county.province, name="دشتیاری", slug="dashtiari"
    )
    specs = [
        ("mirjaveh", "موکب مرز میرجاوه", MawkibKind.BORDER, county),
        ("rimdan", "موکب مرز ریمدان", MawkibKind.BORDER, rimdan_county),
        ("imam-reza", "موکب زائرسرای امام رضا (ع)", MawkibKind.PILGRIM_HOUSE, county),
    ]
    return {
        key: Mawkib.objects.create(season=season, site_key=key, name=name, kind=kind, county=c)
        for key, name, kind, c in specs
    }


@pytest.fixture
def roles(season):
    specs = [
        ("cooking", "آشپزی", Staffing.ANY, ["health_card"]),
        ("serving", "پذیرایی", Staffing.ANY, []),
        ("first_aid", "امداد و کمک‌های اولیه", Staffing.ANY, ["first_aid"]),
        ("interpreting", "ترجمه اردو", Staffing.ANY, ["urdu"]),
        ("security", "انتظامات", Staffing.MEN, []),
    ]
    return {
        code: ServiceRole.objects.create(
            season=season, code=code, name=name, staffing=staffing, requirements=req
        )
        for code, name, staffing, req in specs
    }


@pytest.fixture
def shift_days(season):
    """Three days starting tomorrow, so every shift is still ahead."""
    first = timezone.localdate() + timedelta(days=1)
    return [first + timedelta(days=i) for i in range(3)]


@pytest.fixture
def shifts(admin_user, mawkibs, roles, shift_days, season):
    """Morning (8–14) and evening (14–20) shifts at every mawkib: 2 servers per section,
    1 cook, 1 first-aider."""
    for mawkib in mawkibs.values():
        for name, start in (("صبح", time(8)), ("عصر", time(14))):
            template = ShiftTemplate.objects.create(mawkib=mawkib, name=name, starts=start, hours=6)
            TemplateDemand.objects.create(
                template=template, role=roles["serving"], gender=Staffing.MEN, count=2
            )
            TemplateDemand.objects.create(
                template=template, role=roles["serving"], gender=Staffing.WOMEN, count=2
            )
            TemplateDemand.objects.create(
                template=template, role=roles["cooking"], gender=Staffing.ANY, count=1
            )
            TemplateDemand.objects.create(
                template=template, role=roles["first_aid"], gender=Staffing.ANY, count=1
            )
    return shifts_generate(
        actor=admin_user, season=season, first_day=shift_days[0], last_day=shift_days[-1]
    )


def _make_application(
    season, index=0, *, status=ApplicationStatus.APPROVED, gender=Gender.MEN, days=None, **extra
):
    values = dict(
        season=season,
        national_code=NATIONAL_CODES[index],
        first_name=f"خادم{index}",
        last_name="داوطلب",
        mobile=f"0912000{index:04d}",
        gender=gender,
        birth_date=date(1990, 1, 1),
        available_days=days if days is not None else [],
        emergency_name="خانواده",
        emergency_mobile="09150000000",
        consent_at=timezone.now(),
        status=status,
    )
    values.update(extra)
    return Application.objects.create(**values)


@pytest.fixture
def make_application():
    """`make_application(season, index, status=…, gender=…, days=[iso dates], **fields)`."""
    return _make_application


@pytest.fixture
def volunteer(season, shift_days):
    """An approved man, available on every shift day, with no certificates."""
    return _make_application(season, 0, days=[d.isoformat() for d in shift_days])


@pytest.fixture
def demand_for():
    """`demand_for(mawkib, role, gender, day_index=0, shift_name="صبح")`: that place."""
    return _demand_for


def _demand_for(mawkib, role, gender, day_index=0, shift_name="صبح"):
    return ShiftDemand.objects.filter(
        shift__mawkib=mawkib, role=role, gender=gender, shift__name=shift_name
    ).order_by("shift__starts_at")[day_index]
