"""The mawkibs' demo data, added when `hamafza demo` loads the network: last Arbaeen
(1448) served and logged, so the reports have something to show, and next Arbaeen (1449)
open for sign-up with its shifts generated and a few applications waiting."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hamafza.network.models import County
from hamafza.persian.dates import TEHRAN
from hamafza.persian.digits import to_persian_digits
from hamafza.persian.validators import national_code_check_digit

from .models import (
    AgencyQuota,
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    Mawkib,
    MawkibKind,
    Season,
    ServiceLog,
    ServiceRole,
    ShiftDemand,
    ShiftTemplate,
    Staffing,
    TemplateDemand,
)
from .services.seasons import shifts_generate

MAWKIBS = [
    # site key, name, kind, county slug, latitude, longitude
    ("mirjaveh", "موکب مرز میرجاوه", MawkibKind.BORDER, "mirjaveh", "29.0150", "61.4490"),
    ("rimdan", "موکب مرز ریمدان", MawkibKind.BORDER, "dashtiari", "25.3650", "61.6120"),
    (
        "imam-reza",
        "موکب زائرسرای امام رضا (ع)",
        MawkibKind.PILGRIM_HOUSE,
        "zahedan",
        "29.4960",
        "60.8620",
    ),
]
ROLES = [
    ("cooking", "آشپزی", Staffing.ANY, ["health_card"]),
    ("serving", "پذیرایی", Staffing.ANY, []),
    ("tea", "چای و آب", Staffing.ANY, []),
    ("first_aid", "امداد و کمک‌های اولیه", Staffing.ANY, ["first_aid"]),
    ("urdu", "ترجمه اردو", Staffing.ANY, ["urdu"]),
    ("reception", "پذیرش و راهنمایی", Staffing.ANY, []),
    ("security", "انتظامات", Staffing.MEN, []),
    ("cleaning", "نظافت", Staffing.ANY, []),
    ("driving", "تدارکات و رانندگی", Staffing.MEN, ["driving_licence"]),
]
TEMPLATES = [("صبح", time(7), 7), ("عصر", time(14), 7), ("شب", time(21), 10)]
DEMAND = [
    ("serving", Staffing.MEN, 3),
    ("serving", Staffing.WOMEN, 3),
    ("cooking", Staffing.ANY, 2),
    ("tea", Staffing.ANY, 2),
    ("first_aid", Staffing.ANY, 1),
    ("urdu", Staffing.ANY, 1),
    ("security", Staffing.MEN, 1),
]
FIRST = ["علی", "محمد", "حسین", "رضا", "مهدی", "زهرا", "فاطمه", "مریم", "سمیه", "نرگس"]
LAST = ["بلوچ", "ریگی", "نارویی", "شهرکی", "سارانی", "براهویی", "میر", "دهقان", "سرگزی", "کرد"]


def load(sender, organisations, admin, stdout, **kwargs) -> None:
    if Season.objects.exists():
        return  # loaded before: the demo only adds what is missing
    rng = random.Random(1448)
    province = organisations["hub"].province
    County.objects.get_or_create(province=province, slug="dashtiari", defaults={"name": "دشتیاری"})
    past = _season(1448, admin, open_now=False)
    _serve_and_log(past, organisations, admin, rng)
    upcoming = _season(1449, admin, open_now=True)
    _applications(upcoming, organisations, rng)
    for slug in ("behzisti", "tamin", "fanni"):
        AgencyQuota.objects.create(season=upcoming, organisation=organisations[slug], quota=10)
    stdout.write("موکب‌ها: اربعین ۱۴۴۸ با گزارش خدمت و اربعین ۱۴۴۹ با ثبت‌نام باز بارگذاری شد.")


def _season(year: int, admin, *, open_now: bool) -> Season:
    now = timezone.now()
    season = Season(hijri_year=year, title=f"اربعین {to_persian_digits(year)}")
    arbaeen = season.arbaeen
    if open_now:
        season.signup_opens_at = now - timedelta(days=7)
        season.signup_closes_at = datetime.combine(
            arbaeen - timedelta(days=10), time(23, 59), TEHRAN
        )
        season.edit_deadline = season.signup_closes_at - timedelta(days=5)
    else:
        season.signup_opens_at = datetime.combine(arbaeen - timedelta(days=60), time(8), TEHRAN)
        season.signup_closes_at = datetime.combine(
            arbaeen - timedelta(days=10), time(23, 59), TEHRAN
        )
        season.edit_deadline = season.signup_closes_at
    season.save()
    roles = {
        code: ServiceRole.objects.create(
            season=season, code=code, name=name, staffing=staffing, requirements=req
        )
        for code, name, staffing, req in ROLES
    }
    for key, name, kind, county_slug, lat, lon in MAWKIBS:
        county = County.objects.get(slug=county_slug)
        mawkib = Mawkib.objects.create(
            season=season,
            site_key=key,
            name=name,
            kind=kind,
            county=county,
            latitude=lat,
            longitude=lon,
            facilities="آشپزخانه، نمازخانه، سرویس بهداشتی، محل استراحت بانوان و آقایان",
        )
        for shift_name, starts, hours in TEMPLATES:
            template = ShiftTemplate.objects.create(
                mawkib=mawkib, name=shift_name, starts=starts, hours=hours
            )
            TemplateDemand.objects.bulk_create(
                TemplateDemand(template=template, role=roles[code], gender=gender, count=count)
                for code, gender, count in DEMAND
            )
    shifts_generate(
        actor=admin,
        season=season,
        first_day=arbaeen - timedelta(days=4),
        last_day=arbaeen + timedelta(days=1),
    )
    return season


def _person(
    index: int, season: Season, rng: random.Random, organisation=None, **values
) -> Application:
    nine = f"{361000000 + index:09d}"
    gender = "women" if index % 3 == 0 else "men"
    first = FIRST[5 + index % 5] if gender == "women" else FIRST[index % 5]
    days = sorted({(season.arbaeen - timedelta(days=d)).isoformat() for d in range(-1, 5)})
    return Application.objects.create(
        season=season,
        national_code=nine + national_code_check_digit(nine),
        first_name=first,
        last_name=LAST[(index // 2) % 10],
        mobile=f"0915{index:07d}",
        gender=gender,
        birth_date=date(1975 + index % 25, 1 + index % 12, 1 + index % 27),
        organisation=organisation,
        qualifications=rng.sample(
            ["health_card", "first_aid", "urdu", "driving_licence"], k=index % 3
        ),
        available_days=days,
        emergency_name="خانواده",
        emergency_mobile="09150000000",
        consent_at=timezone.now(),
        **values,
    )


def _serve_and_log(season: Season, organisations, admin, rng: random.Random) -> None:
    """Last year: 60 volunteers placed, most came; each shift logged what it served."""
    agencies = [organisations[s] for s in ("behzisti", "tamin", "fanni", "bank-refah", "omid")] + [
        None
    ] * 3
    people = [
        _person(
            i,
            season,
            rng,
            rng.choice(agencies),
            status=ApplicationStatus.APPROVED,
            decided_by=admin,
        )
        for i in range(60)
    ]
    demands = list(ShiftDemand.objects.filter(shift__mawkib__season=season).select_related("shift"))
    rng.shuffle(demands)
    busy: dict[int, list] = {}
    for demand in demands:
        for person in people:
            if (
                demand.gender not in (Staffing.ANY, person.gender)
                or len(busy.setdefault(person.pk, [])) >= 3
            ):
                continue
            if any(
                s.starts_at < demand.shift.ends_at and s.ends_at > demand.shift.starts_at
                for s in busy[person.pk]
            ):
                continue
            if demand.assignments.count() >= demand.capacity:
                break
            came = rng.random() > 0.1
            start = demand.shift.starts_at + timedelta(minutes=rng.randint(-10, 20))
            Assignment.objects.create(
                demand=demand,
                shift=demand.shift,
                application=person,
                assigned_by=admin,
                status=AssignmentStatus.CHECKED_OUT if came else AssignmentStatus.NO_SHOW,
                checked_in_at=start if came else None,
                checked_out_at=demand.shift.ends_at + timedelta(minutes=rng.randint(-20, 15))
                if came
                else None,
            )
            busy[person.pk].append(demand.shift)
    for mawkib in season.mawkibs.all():
        for shift in mawkib.shifts.all():
            peak = (
                3
                if abs((timezone.localtime(shift.starts_at).date() - season.arbaeen).days) <= 1
                else 1
            )
            men, women = rng.randint(150, 400) * peak, rng.randint(80, 250) * peak
            ServiceLog.objects.create(
                mawkib=mawkib,
                shift=shift,
                day=timezone.localtime(shift.starts_at).date(),
                pilgrims_men=men,
                pilgrims_women=women,
                meals=int((men + women) * 0.8),
                tea_water=(men + women) * 2,
                first_aid_visits=rng.randint(0, 12),
                lodging_nights=rng.randint(0, 120) if shift.name == "شب" else 0,
                recorded_by=admin,
            )


def _applications(season: Season, organisations, rng: random.Random) -> None:
    """This year so far: some approved, some waiting, one waitlisted."""
    statuses = (
        [ApplicationStatus.APPROVED] * 8
        + [ApplicationStatus.PENDING] * 6
        + [ApplicationStatus.WAITLISTED]
    )
    for offset, status in enumerate(statuses):
        organisation = organisations["behzisti"] if offset % 4 == 0 else None
        _person(100 + offset, season, rng, organisation, status=status)
