"""Places on the roster. Capacity can never be exceeded: a sign-up locks its
(shift, role, gender) row, counts the places taken again, and only then takes one; the
database holds "one person per shift" by a constraint. On SQLite the IMMEDIATE
transaction already serialises writers; on PostgreSQL the row lock does it."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit
from hamafza.core.permissions import require
from hamafza.persian.dates import jalali_datetime

from ..models import (
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


def _lock_places() -> bool:
    # Only the concurrency test turns this off, to show that the race is real.
    return getattr(settings, "MAWKIB_SIGNUP_LOCK", True)


def shift_signup(*, application: Application, demand_id: int) -> Assignment:
    """A volunteer takes a place for themself (authenticated by their tracking code)."""
    return _take_place(application=application, demand_id=demand_id, actor=None, checks=VOLUNTEER)


def shift_assign(*, actor, application: Application, demand_id: int) -> Assignment:
    """A coordinator places a volunteer."""
    require(actor, "mawkib.coordinate")
    return _take_place(
        application=application, demand_id=demand_id, actor=actor, checks=COORDINATOR
    )


@transaction.atomic
def _take_place(*, application: Application, demand_id: int, actor, checks: Checks) -> Assignment:
    demands = ShiftDemand.objects.select_related("shift__mawkib__season", "role")
    if _lock_places():
        demands = demands.select_for_update(of=("self",))
    demand = _get_demand(demands, demand_id)
    application = Application.objects.get(pk=application.pk)  # the status as of now
    _check_eligible(application, demand, checks)
    taken = demand.assignments.filter(status__in=HOLDING).count()
    if taken >= demand.capacity:
        raise SignupRefused("full", _("ظرفیت این نوبت پر است. می‌توانید در فهرست انتظار آن بمانید."))
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                demand=demand, shift=demand.shift, application=application, assigned_by=actor
            )
    except IntegrityError:
        raise SignupRefused("already", _("شما در این نوبت جا دارید.")) from None
    WaitlistEntry.objects.filter(demand=demand, application=application).delete()
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


def _get_demand(demands, demand_id) -> ShiftDemand:
    demand = demands.filter(pk=demand_id).first()
    if demand is None:
        raise SignupRefused("unknown", _("این جای خدمت پیدا نشد."))
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
    _check_time(application, shift, season.min_rest_hours if checks.rest else 0)


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
            % {"when": jalali_datetime(other.shift.starts_at), "hours": rest_hours},
        )


@transaction.atomic
def waitlist_join(*, application: Application, demand_id: int) -> WaitlistEntry:
    demand = _get_demand(
        ShiftDemand.objects.select_related("shift__mawkib__season", "role"), demand_id
    )
    _check_eligible(application, demand, VOLUNTEER)
    entry, _created = WaitlistEntry.objects.get_or_create(demand=demand, application=application)
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
    assignment.status = status
    fields = ["status"]
    if stamp:
        setattr(assignment, stamp, timezone.now())
        fields.append(stamp)
    assignment.save(update_fields=fields)
    audit(actor=actor, action=action, target=assignment)
    return assignment


@transaction.atomic
def assignment_check_in(*, actor, assignment: Assignment) -> Assignment:
    return _set_status(
        actor=actor, assignment=assignment, status=AssignmentStatus.CHECKED_IN,
        allowed_from={AssignmentStatus.ASSIGNED, AssignmentStatus.NO_SHOW},
        stamp="checked_in_at", action="mawkib.assignment.checked_in",
    )  # fmt: skip


@transaction.atomic
def assignment_check_out(*, actor, assignment: Assignment) -> Assignment:
    return _set_status(
        actor=actor, assignment=assignment, status=AssignmentStatus.CHECKED_OUT,
        allowed_from={AssignmentStatus.CHECKED_IN},
        stamp="checked_out_at", action="mawkib.assignment.checked_out",
    )  # fmt: skip


@transaction.atomic
def assignment_mark_no_show(*, actor, assignment: Assignment) -> Assignment:
    """A volunteer who did not come: the place is freed for someone on the waiting list."""
    return _set_status(
        actor=actor, assignment=assignment, status=AssignmentStatus.NO_SHOW,
        allowed_from={AssignmentStatus.ASSIGNED}, stamp=None, action="mawkib.assignment.no_show",
    )  # fmt: skip
