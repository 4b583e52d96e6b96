"""The reports of the Arbaeen service, as plain data: what each mawkib served per day, the
hours each volunteer served, how each affiliated agency took part, and this season against
the ones before. Pure reads with a fixed number of queries, whatever the rows; pages,
Excel and PDF all render the same `Report`, so the three never disagree.

Personal data is masked here, before any renderer sees it: a reader without
`mawkib.view_personal_data` gets rows that never held the real national code or mobile."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamafza.core.collation import persian_order
from hamafza.persian.dates import jalali_date
from hamafza.persian.digits import to_persian_digits

from .models import Application, ApplicationStatus, Assignment, AssignmentStatus, Mawkib, Season
from .models import ServiceLog as Log
from .services.day import LOG_COUNTS

# How many seasons the comparison sets side by side (this one and the ones before it).
COMPARED_SEASONS = 5
# How many volunteers the hours chart shows (the table lists all of them).
CHART_TOP = 15

# The counts a service log records.
SERVICE_FIELDS = LOG_COUNTS


class Kind:
    """How a column's values are written: pages and PDFs in Persian digits, Excel as numbers."""

    TEXT = "text"
    INT = "int"
    HOURS = "hours"  # a float, one decimal
    DATE = "date"  # Jalali on pages; Jalali text plus ISO in Excel
    CODE = "code"  # digits kept as text (codes, mobiles), never a number


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = Kind.TEXT


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[dict]
    totals: dict | None = None


@dataclass
class Chart:
    """Bars: one group per category, one bar per series. `horizontal` draws one series as
    long labelled bars, which reads better on a phone than many narrow columns."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    horizontal: bool = False
    unit: str = ""


@dataclass
class Report:
    name: str
    title: str
    season: Season
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    personal: bool = False

    @property
    def masked(self) -> bool:
        """Whether personal columns were masked for this reader."""
        return not self.personal and any(
            c.kind == Kind.CODE for t in self.tables for c in t.columns
        )


REPORT_NAMES = ("service", "volunteers", "agencies", "seasons")


def report_titles() -> dict[str, str]:
    return {
        "service": _("خدمات موکب‌ها به تفکیک روز"),
        "volunteers": _("ساعت خدمت خادمان"),
        "agencies": _("مشارکت دستگاه‌های تابعه"),
        "seasons": _("مقایسه با فصل‌های پیشین"),
    }


def build_report(name: str, season: Season, *, personal: bool) -> Report:
    """The report called `name` (a key of `report_titles()`); KeyError for any other."""
    builder = {
        "service": service_report,
        "volunteers": volunteers_report,
        "agencies": agencies_report,
        "seasons": seasons_report,
    }[name]
    return builder(season, personal=personal)


# --- service per mawkib and day -------------------------------------------------------------


def _service_labels() -> dict[str, str]:
    return {
        "pilgrims_men": _("زائران آقا"),
        "pilgrims_women": _("زائران خانم"),
        "meals": _("وعده غذا"),
        "tea_water": _("چای و آب"),
        "first_aid_visits": _("خدمات امدادی"),
        "lodging_nights": _("شب اقامت"),
    }


def _service_columns() -> list[Column]:
    return [Column(key, label, Kind.INT) for key, label in _service_labels().items()]


def service_totals(season: Season) -> list[dict]:
    """One row per (mawkib, day) that logged anything: the sums of its service logs."""
    sums = {name: Sum(name) for name in SERVICE_FIELDS}
    return list(
        Log.objects.filter(mawkib__season=season)
        .values("mawkib_id", "mawkib__name", "day")
        .annotate(**sums)
        .order_by("day", persian_order("mawkib__name"))
    )


def service_report(season: Season, *, personal: bool = False) -> Report:
    rows = service_totals(season)
    for row in rows:
        row["mawkib"] = row.pop("mawkib__name")
        row["pilgrims"] = row["pilgrims_men"] + row["pilgrims_women"]
    per_mawkib: dict[str, dict] = {}
    for row in rows:
        sums = per_mawkib.setdefault(
            row["mawkib"], {"mawkib": row["mawkib"], "days": 0, **dict.fromkeys(SERVICE_FIELDS, 0)}
        )
        sums["days"] += 1
        for name in SERVICE_FIELDS:
            sums[name] += row[name]
    columns = [Column("mawkib", _("موکب")), Column("day", _("روز"), Kind.DATE)]
    columns += _service_columns()
    days = sorted({row["day"] for row in rows})
    mawkibs = sorted(per_mawkib)
    pilgrims = {(row["mawkib"], row["day"]): row["pilgrims"] for row in rows}
    chart = Chart(
        title=_("زائران پذیرایی‌شده در هر روز"),
        categories=[jalali_date(day) for day in days],
        series=[(name, [pilgrims.get((name, day), 0) for day in days]) for name in mawkibs],
        unit=_("زائر"),
    )
    return Report(
        name="service",
        title=report_titles()["service"],
        season=season,
        tables=[
            Table(_("به تفکیک موکب و روز"), columns, rows, _totals(rows, SERVICE_FIELDS)),
            Table(
                _("جمع هر موکب در این فصل"),
                [
                    Column("mawkib", _("موکب")),
                    Column("days", _("روزهای گزارش‌شده"), Kind.INT),
                    *_service_columns(),
                ],
                list(per_mawkib.values()),
                _totals(per_mawkib.values(), ("days", *SERVICE_FIELDS)),
            ),
        ],
        charts=[chart] if rows else [],
        personal=personal,
    )


# --- hours served -----------------------------------------------------------------------------

HOURS_RULE = gettext_lazy(
    "ساعت خدمت هر نوبت = زمان خروج منهای زمان ورود؛ اگر خادم ورود زده ولی خروج نزده باشد، "
    "طول همان نوبت حساب می‌شود. نوبت‌های غایب، لغوشده یا بی‌ورود حساب نمی‌شوند."
)


def served_hours(checked_in_at: datetime, checked_out_at: datetime | None, shift_hours: float):
    """Hours of one served place: checked out minus checked in, or the shift's length when
    the volunteer checked in but was never checked out (coordinators often forget the
    check-out; the place was served all the same)."""
    if checked_out_at is None:
        return shift_hours
    return max((checked_out_at - checked_in_at).total_seconds() / 3600, 0.0)


def _served(seasons) -> list[dict]:
    """Every place served (checked in, maybe out) in `seasons`, flat, in one query."""
    return list(
        Assignment.objects.filter(
            shift__mawkib__season__in=seasons,
            status__in=[AssignmentStatus.CHECKED_IN, AssignmentStatus.CHECKED_OUT],
            checked_in_at__isnull=False,
        ).values(
            "application_id",
            "checked_in_at",
            "checked_out_at",
            "shift__starts_at",
            "shift__ends_at",
            "shift__mawkib__name",
            "shift__mawkib__site_key",
            "shift__mawkib__season_id",
        )
    )


def _hours_of(place: dict) -> float:
    length = (place["shift__ends_at"] - place["shift__starts_at"]).total_seconds() / 3600
    return served_hours(place["checked_in_at"], place["checked_out_at"], length)


def mask_national_code(value: str) -> str:
    return f"***{value[-3:]}" if len(value) > 3 else "***"


def mask_mobile(value: str) -> str:
    return f"{value[:4]}***{value[-4:]}" if len(value) > 8 else "***"


def volunteer_hours(season: Season, *, personal: bool) -> list[dict]:
    """One row per volunteer who served at least one place, most hours first."""
    per_person: dict[int, dict] = defaultdict(lambda: {"shifts": 0, "hours": 0.0, "mawkibs": set()})
    for place in _served([season]):
        sums = per_person[place["application_id"]]
        sums["shifts"] += 1
        sums["hours"] += _hours_of(place)
        sums["mawkibs"].add(place["shift__mawkib__name"])
    people = Application.objects.filter(pk__in=per_person).select_related("organisation")
    public = _("مردمی")
    rows = []
    for person in people:
        sums = per_person[person.pk]
        rows.append(
            {
                "name": person.full_name,
                "national_code": person.national_code
                if personal
                else mask_national_code(person.national_code),
                "mobile": person.mobile if personal else mask_mobile(person.mobile),
                "agency": person.organisation.name if person.organisation else public,
                "mawkibs": "، ".join(sorted(sums["mawkibs"])),
                "shifts": sums["shifts"],
                "hours": round(sums["hours"], 2),
            }
        )
    rows.sort(key=lambda row: (-row["hours"], row["name"]))
    return rows


def volunteers_report(season: Season, *, personal: bool = False) -> Report:
    rows = volunteer_hours(season, personal=personal)
    columns = [
        Column("name", _("نام")),
        Column("national_code", _("کد ملی"), Kind.CODE),
        Column("mobile", _("تلفن همراه"), Kind.CODE),
        Column("agency", _("دستگاه")),
        Column("mawkibs", _("موکب")),
        Column("shifts", _("نوبت‌های خدمت"), Kind.INT),
        Column("hours", _("ساعت خدمت"), Kind.HOURS),
    ]
    top = rows[:CHART_TOP]
    chart = Chart(
        title=_("بیشترین ساعت خدمت"),
        categories=[row["name"] for row in top],
        series=[(_("ساعت"), [row["hours"] for row in top])],
        horizontal=True,
        unit=_("ساعت"),
    )
    return Report(
        name="volunteers",
        title=report_titles()["volunteers"],
        season=season,
        tables=[Table(_("خادمان"), columns, rows, _totals(rows, ("shifts", "hours")))],
        charts=[chart] if rows else [],
        notes=[str(HOURS_RULE)],
        personal=personal,
    )


# --- agencies ---------------------------------------------------------------------------------


def agency_participation(season: Season) -> list[dict]:
    """Per affiliated agency (and the public, for applications without one): how many
    applied, were approved and served, and the hours they served."""
    counts = (
        Application.objects.filter(season=season)
        .values("organisation_id", "organisation__name")
        .annotate(
            applied=Count("pk"),
            approved=Count("pk", filter=Q(status=ApplicationStatus.APPROVED)),
        )
    )
    organisation_of = dict(
        Application.objects.filter(season=season).values_list("pk", "organisation_id")
    )
    served: dict[int | None, dict] = defaultdict(lambda: {"people": set(), "hours": 0.0})
    for place in _served([season]):
        sums = served[organisation_of.get(place["application_id"])]
        sums["people"].add(place["application_id"])
        sums["hours"] += _hours_of(place)
    public = _("مردمی (بدون دستگاه)")
    rows = []
    for row in counts:
        sums = served[row["organisation_id"]]
        rows.append(
            {
                "agency": row["organisation__name"] or public,
                "is_public": row["organisation_id"] is None,
                "applied": row["applied"],
                "approved": row["approved"],
                "served": len(sums["people"]),
                "hours": round(sums["hours"], 2),
            }
        )
    # The agencies first, most hours first; the public last, as the article tells it.
    rows.sort(key=lambda row: (row["is_public"], -row["hours"], -row["served"], row["agency"]))
    return rows


def agencies_report(season: Season, *, personal: bool = False) -> Report:
    rows = agency_participation(season)
    columns = [
        Column("agency", _("دستگاه")),
        Column("applied", _("اعلام آمادگی"), Kind.INT),
        Column("approved", _("پذیرفته"), Kind.INT),
        Column("served", _("خدمت‌کرده"), Kind.INT),
        Column("hours", _("ساعت خدمت"), Kind.HOURS),
    ]
    chart = Chart(
        title=_("ساعت خدمت هر دستگاه"),
        categories=[row["agency"] for row in rows],
        series=[(_("ساعت"), [row["hours"] for row in rows])],
        horizontal=True,
        unit=_("ساعت"),
    )
    return Report(
        name="agencies",
        title=report_titles()["agencies"],
        season=season,
        tables=[
            Table(
                _("دستگاه‌ها و مردم"),
                columns,
                rows,
                _totals(rows, ("applied", "approved", "served", "hours")),
            )
        ],
        charts=[chart] if rows else [],
        notes=[str(HOURS_RULE)],
        personal=personal,
    )


# --- this season against earlier ones ----------------------------------------------------------


def compared_seasons(season: Season) -> list[Season]:
    """This season and up to four before it, oldest first."""
    earlier = Season.objects.filter(hijri_year__lte=season.hijri_year).order_by("-hijri_year")
    return list(reversed(earlier[:COMPARED_SEASONS]))


def season_totals(seasons: list[Season]) -> tuple[list[dict], dict[tuple[int, str], int]]:
    """Per season: service sums, mawkibs, volunteers who served and their hours; and the
    pilgrims per (season, site), the same place in every season by its `site_key`."""
    by_season = {s.pk: {"season": s.title, "year": s.hijri_year} for s in seasons}
    for row in by_season.values():
        row.update(dict.fromkeys(SERVICE_FIELDS, 0))
        row.update(mawkibs=0, volunteers=0, hours=0.0)
    for row in (
        Mawkib.objects.filter(season__in=seasons).values("season_id").annotate(n=Count("pk"))
    ):
        by_season[row["season_id"]]["mawkibs"] = row["n"]
    pilgrims_at: dict[tuple[int, str], int] = defaultdict(int)
    logs = (
        Log.objects.filter(mawkib__season__in=seasons)
        .values("mawkib__season_id", "mawkib__site_key")
        .annotate(**{name: Sum(name) for name in SERVICE_FIELDS})
    )
    for row in logs:
        sums = by_season[row["mawkib__season_id"]]
        for name in SERVICE_FIELDS:
            sums[name] += row[name]
        pilgrims_at[row["mawkib__season_id"], row["mawkib__site_key"]] += (
            row["pilgrims_men"] + row["pilgrims_women"]
        )
    people: dict[int, set] = defaultdict(set)
    for place in _served(seasons):
        season_id = place["shift__mawkib__season_id"]
        people[season_id].add(place["application_id"])
        by_season[season_id]["hours"] += _hours_of(place)
    for season_id, row in by_season.items():
        row["volunteers"] = len(people[season_id])
        row["hours"] = round(row["hours"], 2)
    return [by_season[s.pk] for s in seasons], pilgrims_at


def seasons_report(season: Season, *, personal: bool = False) -> Report:
    seasons = compared_seasons(season)
    rows, pilgrims_at = season_totals(seasons)
    # A place keeps the name it has in the newest season that has it.
    names: dict[str, str] = {}
    for mawkib in Mawkib.objects.filter(season__in=seasons).order_by("season__hijri_year"):
        names[mawkib.site_key] = mawkib.name
    sites = sorted(names, key=lambda key: names[key])
    season_columns = [Column(f"s{s.pk}", to_persian_digits(s.title), Kind.INT) for s in seasons]
    site_rows = [
        {"site": names[key], **{f"s{s.pk}": pilgrims_at.get((s.pk, key), 0) for s in seasons}}
        for key in sites
    ]
    columns = [
        Column("season", _("فصل")),
        Column("mawkibs", _("موکب‌ها"), Kind.INT),
        *_service_columns(),
        Column("volunteers", _("خادمان خدمت‌کرده"), Kind.INT),
        Column("hours", _("ساعت خدمت"), Kind.HOURS),
    ]
    chart = Chart(
        title=_("زائران هر موکب در هر فصل"),
        categories=[names[key] for key in sites],
        series=[
            (to_persian_digits(s.title), [pilgrims_at.get((s.pk, key), 0) for key in sites])
            for s in seasons
        ],
        unit=_("زائر"),
    )
    return Report(
        name="seasons",
        title=report_titles()["seasons"],
        season=season,
        tables=[
            Table(_("جمع هر فصل"), columns, rows),
            Table(
                _("زائران هر موکب در هر فصل"),
                [Column("site", _("موکب")), *season_columns],
                site_rows,
                _totals(site_rows, [c.key for c in season_columns]),
            ),
        ],
        charts=[chart] if sites else [],
        notes=[_("یک موکب در فصل‌های گوناگون با «شناسه محل» آن یکی شمرده می‌شود."), str(HOURS_RULE)],
        personal=personal,
    )


def _totals(rows, keys) -> dict:
    totals = {key: 0 for key in keys}
    for row in rows:
        for key in keys:
            totals[key] += row[key]
    return {
        key: round(value, 2) if isinstance(value, float) else value for key, value in totals.items()
    }
