"""Places on the roster. Capacity can never be exceeded: a sign-up locks its
(shift, role, gender) row, counts the places taken again, and only then takes one; the
database holds "one person per shift" by a constraint. On SQLite the IMMEDIATE
transaction already serialises writers; on PostgreSQL the row lock does it."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit
from hamafza.core.collation import persian_order
from hamafza.core.permissions import require
from hamafza.core.sms import queue_notice
from hamafza.persian.dates import jalali_datetime
from hamafza.persian.digits import to_persian_digits

from ..models import (
    CHECKIN_MARGIN,
    HOLDING,
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    Requirement,
    ShiftDemand,
    Staffing,
    WaitlistEntry,
)


class SignupRefused(Exception):
    """A sign-up that cannot be taken; `code` is stable for programs, `message` Persian."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Checks:
    """Which rules a sign-up must pass. Volunteers pass them all; a coordinator assigning
    someone may place them outside their days, without a listed qualification, or after
    the window closed, but never beyond capacity, twice in one shift, or in overlapping
    shifts."""

    window: bool = True
    days: bool = True
    requirements: bool = True
    section: bool = True
    rest: bool = True


VOLUNTEER = Checks()
COORDINATOR = Checks(window=False, days=False, requirements=False, section=True, rest=False)


def _place_locked(places):
    """The place's row, locked: everyone asking for it queues here, then counts again (and
    reads the capacity as it is now, should a coordinator have just changed it). The
    concurrency test takes the lock away here to show the race it prevents."""
    return places.select_for_update()


def shift_signup(*, application: Application | int, demand_id: int) -> Assignment:
    """A volunteer takes a place for themself (authenticated by their tracking code). The
    application may be given by id: it is then read only if the place is not known to be
    full, which keeps a crowd's refusals off the database."""
    return _take_place(application=application, demand_id=demand_id, actor=None, checks=VOLUNTEER)


def shift_assign(*, actor, application: Application, demand_id: int) -> Assignment:
    """A coordinator places a volunteer."""
    require(actor, "mawkib.coordinate")
    return _take_place(
        application=application, demand_id=demand_id, actor=actor, checks=COORDINATOR
    )


def _take_place(
    *, application: Application | int, demand_id: int, actor, checks: Checks
) -> Assignment:
    # The cheapest refusals first, outside any transaction: most people asking for the
    # last places of a popular shift are told it is full from the cache, or by one small
    # query, never by queueing for the lock.
    if cache.get(_full_key(demand_id)):
        raise _full()
    fill = (
        ShiftDemand.objects.filter(pk=demand_id)
        .annotate(taken=Count("assignments", filter=Q(assignments__status__in=HOLDING)))
        .values_list("taken", "capacity")
        .first()
    )
    if fill is None:
        raise _unknown()
    if fill[0] >= fill[1]:
        _remember_full(demand_id)
        raise _full()
    demand = _get_demand(
        ShiftDemand.objects.select_related("shift__mawkib__season", "role"), demand_id
    )
    if not isinstance(application, Application):
        application = Application.objects.get(pk=application)
    _check_eligible(application, demand, checks)
    return _take_place_locked(application=application, demand=demand, actor=actor, checks=checks)


@transaction.atomic
def _take_place_locked(
    *, application: Application, demand: ShiftDemand, actor, checks: Checks
) -> Assignment:
    # The person's own row: their sign-ups queue behind one another, so the status, the
    # overlaps and the rest are checked against a settled record; different people never
    # wait for each other here.
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_eligible(application, demand, checks)
    _check_time(
        application, demand.shift, demand.shift.mawkib.season.min_rest_hours if checks.rest else 0
    )
    places = _place_locked(ShiftDemand.objects.filter(pk=demand.pk))
    capacity = places.values_list("capacity", flat=True).first()
    taken = _places_taken(demand.pk)
    if capacity is None:
        raise _unknown()
    if taken >= capacity:
        _remember_full(demand.pk)
        raise _full()
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                demand=demand, shift=demand.shift, application=application, assigned_by=actor
            )
    except IntegrityError:
        raise SignupRefused("already", _("شما در این نوبت جا دارید.")) from None
    WaitlistEntry.objects.filter(demand=demand, application=application).delete()
    if taken + 1 >= capacity:
        transaction.on_commit(lambda: _remember_full(demand.pk))
    audit(
        actor=actor,
        action="mawkib.assignment.created",
        target=assignment,
        data={
            "demand": demand.pk,
            "application": application.pk,
            "by": "coordinator" if actor else "volunteer",
        },
    )
    return assignment


# "This place is full", remembered briefly so a crowd asking for it is refused without
# touching the database. It only ever refuses, never admits, so a stale entry cannot
# overbook. What frees a place forgets it (places_freed) in the shared cache (Redis at
# scale); with the default per-process cache, another process may refuse for up to
# FULL_SECONDS more.
FULL_SECONDS = 5


def _full_key(demand_id) -> str:
    return f"mawkib:demand-full:{demand_id}"


def _remember_full(demand_id) -> None:
    cache.set(_full_key(demand_id), True, FULL_SECONDS)


def places_freed(demand_ids) -> None:
    """Call after anything that may free or add places (a cancellation, a no-show, a
    rejection, a capacity change): the next sign-up looks at the database again."""
    ids = list(demand_ids)
    keys = [_full_key(i) for i in ids]
    # Now, and again at commit: a sign-up in between may have remembered "full" anew.
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
    _tell_the_waiting(ids)


def _tell_the_waiting(demand_ids) -> None:
    """For each place that may have freed up, the first person waiting for it who was not
    told yet gets an SMS (the place is not held for them: the first to sign up takes it)."""
    for demand_id in demand_ids:
        entry = (
            WaitlistEntry.objects.select_for_update()
            .filter(demand_id=demand_id, notified_at__isnull=True)
            .order_by("created_at")
            .first()
        )
        if entry is None:
            continue
        entry.notified_at = timezone.now()
        entry.save(update_fields=["notified_at"])
        queue_notice("mawkib.waitlist.place_freed", entry=entry.pk)


def _unknown() -> SignupRefused:
    return SignupRefused("unknown", _("این جای خدمت پیدا نشد."))


def _places_taken(demand_id: int) -> int:
    return Assignment.objects.filter(demand_id=demand_id, status__in=HOLDING).count()


def _full() -> SignupRefused:
    return SignupRefused("full", _("ظرفیت این نوبت پر است. می‌توانید در فهرست انتظار آن بمانید."))


def _get_demand(demands, demand_id) -> ShiftDemand:
    demand = demands.filter(pk=demand_id).first()
    if demand is None:
        raise _unknown()
    return demand


def _check_eligible(application: Application, demand: ShiftDemand, checks: Checks) -> None:
    shift, season = demand.shift, demand.shift.mawkib.season
    now = timezone.now()
    if application.season_id != season.pk:
        raise SignupRefused("season", _("این نوبت از فصل دیگری است."))
    if application.status != ApplicationStatus.APPROVED:
        raise SignupRefused("not_approved", _("درخواست شما هنوز پذیرفته نشده است."))
    if shift.starts_at <= now:
        raise SignupRefused("started", _("این نوبت آغاز شده است."))
    if checks.window and not season.signup_open(now):
        raise SignupRefused("window_closed", _("زمان ثبت‌نام در نوبت‌ها گذشته یا هنوز نرسیده است."))
    if checks.section and demand.gender != Staffing.ANY and demand.gender != application.gender:
        raise SignupRefused(
            "section",
            _("این جا برای بخش %(section)s است.") % {"section": demand.get_gender_display()},
        )
    if checks.requirements:
        missing = [r for r in demand.role.requirements if r not in application.qualifications]
        if missing:
            names = "، ".join(str(Requirement(r).label) for r in missing)
            raise SignupRefused(
                "requirement",
                _("نقش «%(role)s» %(needs)s لازم دارد.") % {"role": demand.role, "needs": names},
            )
    if (
        checks.days
        and timezone.localdate(shift.starts_at).isoformat() not in application.available_days
    ):
        raise SignupRefused("day", _("روز این نوبت در روزهای آمادگی شما نیست."))


def _check_time(application: Application, shift, rest_hours: int) -> None:
    rest = timedelta(hours=rest_hours)
    others = (
        Assignment.objects.filter(application=application, status__in=HOLDING)
        .exclude(shift=shift)
        .filter(
            Q(shift__starts_at__lt=shift.ends_at + rest)
            & Q(shift__ends_at__gt=shift.starts_at - rest)
        )
        .select_related("shift__mawkib")
        .order_by("shift__starts_at")
    )
    for other in others:
        if other.shift.starts_at < shift.ends_at and other.shift.ends_at > shift.starts_at:
            raise SignupRefused(
                "overlap",
                _("این نوبت با نوبت دیگر شما در %(mawkib)s، %(when)s هم‌زمان است.")
                % {"mawkib": other.shift.mawkib, "when": jalali_datetime(other.shift.starts_at)},
            )
        raise SignupRefused(
            "rest",
            _("میان این نوبت و نوبت %(when)s کمتر از %(hours)s ساعت استراحت می‌ماند.")
            % {
                "when": jalali_datetime(other.shift.starts_at),
                "hours": to_persian_digits(rest_hours),
            },
        )


@transaction.atomic
def waitlist_join(*, application: Application, demand_id: int) -> WaitlistEntry:
    """Wait for a place in a full (shift, role, gender): only when it is full, and not
    for a shift the volunteer already has a place in."""
    demand = _get_demand(
        ShiftDemand.objects.select_related("shift__mawkib__season", "role"), demand_id
    )
    application = Application.objects.get(pk=application.pk)  # the status as of now
    _check_eligible(application, demand, VOLUNTEER)
    if Assignment.objects.filter(
        shift=demand.shift, application=application, status__in=HOLDING
    ).exists():
        raise SignupRefused("already", _("شما در این نوبت جا دارید."))
    if _places_taken(demand.pk) < demand.capacity:
        raise SignupRefused("not_full", _("این نوبت هنوز جای خالی دارد؛ همین حالا ثبت‌نام کنید."))
    entry, created = WaitlistEntry.objects.get_or_create(demand=demand, application=application)
    if created:
        audit(
            actor=None,
            action="mawkib.waitlist.joined",
            target=entry,
            data={"demand": demand.pk, "application": application.pk},
        )
    return entry


@transaction.atomic
def assignment_cancel(
    *, actor, assignment: Assignment, application: Application | None = None
) -> Assignment:
    """Give a place back: the volunteer themself (by tracking code) or a coordinator."""
    if application is None:
        require(actor, "mawkib.coordinate")
    elif assignment.application_id != application.pk:
        raise PermissionDenied
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise SignupRefused("not_cancellable", _("این حضور دیگر لغوشدنی نیست."))
    assignment.status = AssignmentStatus.CANCELLED
    assignment.save(update_fields=["status"])
    places_freed([assignment.demand_id])
    audit(actor=actor, action="mawkib.assignment.cancelled", target=assignment)
    return assignment


def _set_status(
    *,
    actor,
    assignment: Assignment,
    status: str,
    allowed_from: set[str],
    stamp: str | None,
    action: str,
):
    require(actor, "mawkib.checkin", assignment.shift.mawkib)
    assignment = (
        Assignment.objects.select_for_update().select_related("shift__mawkib").get(pk=assignment.pk)
    )
    if assignment.status not in allowed_from:
        raise SignupRefused(
            "state",
            _("این خادم اکنون «%(state)s» است.") % {"state": assignment.get_status_display()},
        )
    _check_shift_time(assignment)
    if assignment.status == AssignmentStatus.NO_SHOW and status in HOLDING:
        _retake_freed_place(assignment)
    assignment.status = status
    fields = ["status"]
    if stamp:
        setattr(assignment, stamp, timezone.now())
        fields.append(stamp)
    assignment.save(update_fields=fields)
    if status not in HOLDING:  # a no-show gives the place back
        places_freed([assignment.demand_id])
    audit(actor=actor, action=action, target=assignment)
    return assignment


def _check_shift_time(assignment: Assignment) -> None:
    now, shift = timezone.now(), assignment.shift
    if not (shift.starts_at - CHECKIN_MARGIN <= now <= shift.ends_at + CHECKIN_MARGIN):
        raise SignupRefused(
            "not_now",
            _("حضور و غیاب این نوبت از دو ساعت پیش از آغاز تا دو ساعت پس از پایان آن ممکن است."),
        )


def _retake_freed_place(assignment: Assignment) -> None:
    """A late arrival marked absent gets their place back only if nobody has taken it
    since: the same lock and count as any sign-up, and one place per shift."""
    capacity = (
        ShiftDemand.objects.select_for_update()
        .filter(pk=assignment.demand_id)
        .values_list("capacity", flat=True)
        .first()
    )
    if _places_taken(assignment.demand_id) >= capacity:
        raise SignupRefused("full", _("جای این خادم پس از غیبت به دیگری داده شده و نوبت پر است."))
    if Assignment.objects.filter(
        shift_id=assignment.shift_id, application_id=assignment.application_id, status__in=HOLDING
    ).exists():
        raise SignupRefused("already", _("این خادم در همین نوبت جای دیگری دارد."))


@transaction.atomic
def assignment_check_in(*, actor, assignment: Assignment) -> Assignment:
    return _set_status(
        actor=actor,
        assignment=assignment,
        status=AssignmentStatus.CHECKED_IN,
        allowed_from={AssignmentStatus.ASSIGNED, AssignmentStatus.NO_SHOW},
        stamp="checked_in_at",
        action="mawkib.assignment.checked_in",
    )


@transaction.atomic
def assignment_check_out(*, actor, assignment: Assignment) -> Assignment:
    return _set_status(
        actor=actor,
        assignment=assignment,
        status=AssignmentStatus.CHECKED_OUT,
        allowed_from={AssignmentStatus.CHECKED_IN},
        stamp="checked_out_at",
        action="mawkib.assignment.checked_out",
    )


@transaction.atomic
def assignment_mark_no_show(*, actor, assignment: Assignment) -> Assignment:
    """A volunteer who did not come: the place is freed for someone on the waiting list."""
    return _set_status(
        actor=actor,
        assignment=assignment,
        status=AssignmentStatus.NO_SHOW,
        allowed_from={AssignmentStatus.ASSIGNED},
        stamp=None,
        action="mawkib.assignment.no_show",
    )


# --- Reads for the volunteer's own page -------------------------------------------------------


def eligible_places(application: Application) -> list[ShiftDemand]:
    """The places an approved volunteer may sign up for: shifts still ahead in their
    season, on the days they offered, in their section, in roles whose requirements they
    hold. Each demand carries `taken`, `free`, `held` (they have a place in that shift)
    and `waiting` (they are on its waiting list). The other rules (overlap, rest, window)
    are checked when they sign up, and a refusal says which."""
    if application.status != ApplicationStatus.APPROVED:
        return []
    demands = (
        ShiftDemand.objects.filter(
            shift__mawkib__season_id=application.season_id,
            shift__starts_at__gt=timezone.now(),
            gender__in=[Staffing.ANY, application.gender],
        )
        .select_related("shift__mawkib", "role")
        .annotate(taken=Count("assignments", filter=Q(assignments__status__in=HOLDING)))
        .order_by(
            "shift__starts_at",
            persian_order("shift__mawkib__name"),
            persian_order("role__name"),
            "gender",
        )
    )
    days = set(application.available_days)
    held = set(
        Assignment.objects.filter(application=application, status__in=HOLDING).values_list(
            "shift_id", flat=True
        )
    )
    waiting = set(
        WaitlistEntry.objects.filter(application=application).values_list("demand_id", flat=True)
    )
    places = []
    for demand in demands:
        if timezone.localdate(demand.shift.starts_at).isoformat() not in days:
            continue
        if any(r not in application.qualifications for r in demand.role.requirements):
            continue
        demand.free = max(demand.capacity - demand.taken, 0)
        demand.held = demand.shift_id in held
        demand.waiting = demand.pk in waiting
        places.append(demand)
    return places


def application_assignments(application: Application):
    """The volunteer's places on the roster (cancelled ones left out), in time order."""
    return (
        Assignment.objects.filter(application=application)
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("shift__mawkib", "demand__role")
        .order_by("shift__starts_at")
    )
