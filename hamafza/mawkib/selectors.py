"""Reads the coordinators' pages share: the permission-checked getters
(`<entity>_get_for_user`, 404 for what a user may not see, 403 for what they may see but
not act on) and the lists, each loaded in a fixed number of queries."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from hamafza.core.collation import persian_order
from hamafza.core.permissions import can, fetch_or_404, get_for_user
from hamafza.core.search import name_contains_any
from hamafza.network.models import Organisation
from hamafza.persian.dates import TEHRAN
from hamafza.persian.digits import to_latin_digits

from .models import (
    CHECKIN_MARGIN,
    HOLDING,
    AgencyQuota,
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    Mawkib,
    Season,
    ServiceLog,
    ServiceRole,
    Shift,
    ShiftBatch,
    ShiftDemand,
    ShiftTemplate,
    TemplateDemand,
)
from .services.applications import counted_nominations, prior_attendance
from .services.seasons import demand_counts

COORDINATE = "mawkib.coordinate"


def season_get(pk) -> Season:
    """A season by id, for the pages open to more than coordinators (nominations, the
    public list of needed places); they check their own permission."""
    return fetch_or_404(Season.objects.all(), pk)


def shift_of_mawkib(mawkib: Mawkib, pk) -> Shift:
    shift = fetch_or_404(mawkib.shifts.all(), pk)
    shift.log = mawkib.logs.filter(shift=shift).first()
    return shift


def season_get_for_user(user, pk, *, action: str = COORDINATE) -> Season:
    return get_for_user(user, fetch_or_404(Season.objects.all(), pk), view_action=action)


def mawkib_get_for_user(user, pk, *, action: str = COORDINATE) -> Mawkib:
    """`action` "mawkib.checkin" lets a mawkib's own managers in as well."""
    mawkib = fetch_or_404(Mawkib.objects.select_related("season", "county"), pk)
    return get_for_user(user, mawkib, view_action=action)


def _coordinated(user, queryset: QuerySet, pk):
    obj = fetch_or_404(queryset, pk)
    return get_for_user(user, obj, view_action=COORDINATE)


def role_get_for_user(user, pk) -> ServiceRole:
    return _coordinated(user, ServiceRole.objects.select_related("season"), pk)


def template_get_for_user(user, pk) -> ShiftTemplate:
    return _coordinated(user, ShiftTemplate.objects.select_related("mawkib__season"), pk)


def batch_get_for_user(user, pk) -> ShiftBatch:
    return _coordinated(user, ShiftBatch.objects.select_related("season", "created_by"), pk)


def demand_get_for_user(user, pk) -> ShiftDemand:
    return _coordinated(user, ShiftDemand.objects.select_related("shift__mawkib__season"), pk)


def application_get_for_user(user, pk) -> Application:
    return _coordinated(
        user,
        Application.objects.select_related(
            "season", "county", "organisation", "preferred_mawkib", "decided_by", "nominated_by"
        ),
        pk,
    )


def assignment_get_for_user(user, pk, *, mawkib: Mawkib) -> Assignment:
    """An assignment at a mawkib the user checks people in at (already checked)."""
    queryset = Assignment.objects.select_related("shift__mawkib", "application", "demand__role")
    return fetch_or_404(queryset.filter(shift__mawkib=mawkib), pk)


# --- Season set-up ---


def season_list() -> QuerySet[Season]:
    return Season.objects.annotate(
        mawkib_count=Count("mawkibs", distinct=True),
        application_count=Count("applications", distinct=True),
    )


def _mawkibs_with_setup(queryset: QuerySet[Mawkib]) -> QuerySet[Mawkib]:
    return queryset.select_related("county").prefetch_related(
        "managers",
        Prefetch(
            "templates",
            queryset=ShiftTemplate.objects.prefetch_related(
                Prefetch(
                    "demands",
                    queryset=TemplateDemand.objects.select_related("role").order_by(
                        persian_order("role__name"), "gender"
                    ),
                )
            ),
        ),
    )


def mawkib_setup(mawkib: Mawkib) -> Mawkib:
    """The mawkib with its managers, templates and their demands loaded."""
    return _mawkibs_with_setup(Mawkib.objects.select_related("season")).get(pk=mawkib.pk)


def season_overview(season: Season) -> dict:
    """Everything the season page shows, in a fixed number of queries."""
    mawkibs = _mawkibs_with_setup(season.mawkibs.all())
    quotas = (
        AgencyQuota.objects.filter(season=season)
        .select_related("organisation")
        .order_by(persian_order("organisation__name"))
    )
    used = dict(counted_nominations(season).values_list("organisation_id").annotate(n=Count("id")))
    for quota in quotas:
        quota.used = used.get(quota.organisation_id, 0)
    statuses = dict(season.applications.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "mawkibs": mawkibs,
        "roles": season.roles.all(),
        "quotas": quotas,
        "batches": season.batches.select_related("created_by").annotate(
            shift_count=Count("shifts")
        ),
        "status_counts": [
            (value, label, statuses.get(value, 0)) for value, label in ApplicationStatus.choices
        ],
    }


def batch_shifts(batch: ShiftBatch) -> QuerySet[Shift]:
    """A generated batch for review: its shifts with each place's need and take."""
    demands = demand_counts(ShiftDemand.objects.select_related("role")).order_by(
        persian_order("role__name"), "gender"
    )
    return (
        batch.shifts.select_related("mawkib")
        .prefetch_related(Prefetch("demands", queryset=demands))
        .order_by(persian_order("mawkib__name"), "starts_at")
    )


def agency_choices() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(is_active=True)
        .exclude(kind="hub")
        .order_by(persian_order("name"))
    )


# --- Vetting ---


def application_list(
    season: Season,
    *,
    status: str = "",
    gender: str = "",
    county: int | None = None,
    source: str = "",
    organisation: int | None = None,
    qualification: str = "",
    search: str = "",
) -> QuerySet[Application]:
    apps = (
        season.applications.select_related("county", "organisation", "preferred_mawkib")
        .annotate(places=Count("assignments", filter=Q(assignments__status__in=HOLDING)))
        .order_by("-created_at", "-pk")
    )
    if status:
        apps = apps.filter(status=status)
    if gender:
        apps = apps.filter(gender=gender)
    if county:
        apps = apps.filter(county_id=county)
    if source == "public":
        apps = apps.filter(organisation__isnull=True)
    elif source == "agency":
        apps = apps.filter(organisation__isnull=False)
    if organisation:
        apps = apps.filter(organisation_id=organisation)
    if qualification:
        # JSON containment is not on SQLite; a quoted substring is exact for these codes.
        apps = apps.filter(qualifications__icontains=f'"{qualification}"')
    if search:
        search = search.strip()
        words = Q()
        for word in search.split():
            words &= name_contains_any(("first_name", "last_name"), word)
        code = to_latin_digits(search)  # codes are stored in Latin digits; names as typed
        apps = apps.filter(words | Q(tracking_code=code) | Q(national_code=code))
    return apps


def with_prior_attendance(applications: list[Application], season: Season) -> list[Application]:
    """Attach each person's earlier seasons (year, shifts served) in one query."""
    found = prior_attendance([a.national_code for a in applications], season)
    for application in applications:
        application.prior = found.get(application.national_code, [])
    return applications


def application_places(application: Application) -> QuerySet[Assignment]:
    return application.assignments.select_related("shift__mawkib", "demand__role").order_by(
        "shift__starts_at"
    )


def assignable_demands(application: Application) -> QuerySet[ShiftDemand]:
    """The places a coordinator may offer this person: future shifts of the season, open,
    in a section that fits them."""
    now = timezone.now()
    return (
        demand_counts(
            ShiftDemand.objects.filter(
                shift__mawkib__season_id=application.season_id, shift__starts_at__gt=now
            ).filter(Q(gender="any") | Q(gender=application.gender))
        )
        .filter(taken__lt=F("capacity"))
        .select_related("shift__mawkib", "role")
        .order_by(
            "shift__starts_at", persian_order("shift__mawkib__name"), persian_order("role__name")
        )
    )


# --- Nominations ---


def nominating_organisations(user, season: Season) -> list[Organisation]:
    """The agencies with a quota this season that the user may nominate for."""
    quotas = AgencyQuota.objects.filter(season=season).select_related("organisation__parent")
    return [q.organisation for q in quotas if can(user, "mawkib.nominate", q.organisation)]


def quota_usage(season: Season, organisation: Organisation) -> dict:
    quota = AgencyQuota.objects.filter(season=season, organisation=organisation).first()
    nominated = (
        counted_nominations(season)
        .filter(organisation=organisation)
        .order_by(persian_order("last_name"), persian_order("first_name"))
    )
    total = quota.quota if quota else 0
    used = len(nominated)
    return {"quota": total, "used": used, "left": max(total - used, 0), "nominated": nominated}


# --- The day ---


def _on_the_desk(day) -> Q:
    """Shifts the check-in desk shows on `day`: those starting that day and, on today's
    desk, those whose check-in window is open now (a night shift past midnight)."""
    shown = Q(starts_at__date=day)
    if day == timezone.localdate():
        now = timezone.now()
        shown |= Q(starts_at__lte=now + CHECKIN_MARGIN, ends_at__gte=now - CHECKIN_MARGIN)
    return shown


def checkin_lookup(mawkib: Mawkib, code: str, day=None) -> tuple[Application | None, list]:
    """The application with this tracking code in the mawkib's season, and its places at
    this mawkib on `day`'s desk (today's by default)."""
    day = day or timezone.localdate()
    application = (
        Application.objects.filter(season_id=mawkib.season_id, tracking_code=code.strip())
        .select_related("organisation")
        .first()
    )
    if application is None:
        return None, []
    places = list(
        application.assignments.filter(
            shift__mawkib=mawkib,
            shift__in=Shift.objects.filter(_on_the_desk(day), mawkib=mawkib),
        )
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("shift", "demand__role")
        .order_by("shift__starts_at")
    )
    return application, places


def mawkib_day_shifts(mawkib: Mawkib, day) -> list[Shift]:
    """The mawkib's shifts on a day's desk with their log (if any) and who is present."""
    shifts = list(
        mawkib.shifts.filter(_on_the_desk(day))
        .annotate(
            present=Count("assignments", filter=Q(assignments__status="checked_in")),
            taken=Count("assignments", filter=Q(assignments__status__in=HOLDING)),
        )
        .order_by("starts_at")
    )
    logs = {log.shift_id: log for log in ServiceLog.objects.filter(shift__in=shifts)}
    for shift in shifts:
        shift.log = logs.get(shift.pk)
    return shifts


def mawkib_logs(mawkib: Mawkib) -> QuerySet[ServiceLog]:
    return mawkib.logs.select_related("shift", "recorded_by").order_by("-day", "-recorded_at")


# --- Coverage ---


def coverage_board(season: Season, *, mawkib_id: int | None = None, day=None) -> list[dict]:
    """mawkib → day → shift → places (role, section: needed, taken, present), one query;
    optionally one mawkib and one day."""
    wanted = ShiftDemand.objects.filter(shift__mawkib__season=season)
    if mawkib_id:
        wanted = wanted.filter(shift__mawkib_id=mawkib_id)
    if day:
        start = datetime.combine(day, time.min, TEHRAN)
        wanted = wanted.filter(
            shift__starts_at__gte=start, shift__starts_at__lt=start + timedelta(days=1)
        )
    demands = (
        demand_counts(wanted)
        .select_related("shift__mawkib", "role")
        .order_by(
            persian_order("shift__mawkib__name"),
            "shift__starts_at",
            persian_order("shift__name"),
            persian_order("role__name"),
            "gender",
        )
    )
    board: dict = {}
    for demand in demands:
        shift = demand.shift
        day = timezone.localdate(shift.starts_at)
        demand.state = _state(demand)
        mawkib = board.setdefault(shift.mawkib_id, {"mawkib": shift.mawkib, "days": {}})
        shifts = mawkib["days"].setdefault(day, {})
        shifts.setdefault(shift.pk, {"shift": shift, "demands": []})["demands"].append(demand)
    return [
        {
            "mawkib": entry["mawkib"],
            "days": [
                {"day": day, "shifts": list(shifts.values())}
                for day, shifts in entry["days"].items()
            ],
        }
        for entry in board.values()
    ]


def _state(demand) -> str:
    """A colour for the board: full, partly taken, empty."""
    if demand.taken >= demand.capacity:
        return "full"
    if demand.taken * 2 >= demand.capacity:
        return "partial"
    return "empty"


def needed_now(season: Season, *, hours: int = 48) -> list[dict]:
    """Places still open in the shifts of the next `hours`: what the PR office publishes.
    No personal data, only places (one query)."""
    now = timezone.now()
    demands = (
        demand_counts(
            ShiftDemand.objects.filter(
                shift__mawkib__season=season,
                shift__starts_at__gt=now,
                shift__starts_at__lte=now + timedelta(hours=hours),
            )
        )
        .filter(taken__lt=F("capacity"))
        .select_related("shift__mawkib", "role")
        .order_by(
            "shift__starts_at", persian_order("shift__mawkib__name"), persian_order("role__name")
        )
    )
    grouped: dict = defaultdict(list)
    for demand in demands:
        demand.open = demand.capacity - demand.taken
        grouped[demand.shift].append(demand)
    return [{"shift": shift, "demands": items} for shift, items in grouped.items()]


def can_see_personal_data(user) -> bool:
    return can(user, "mawkib.view_personal_data")
