"""Taking places on the roster: every refusal says exactly why, and capacity holds."""

import pytest

from hamafza.mawkib.models import ApplicationStatus, Assignment, Gender, Staffing
from hamafza.mawkib.services import roster
from hamafza.mawkib.services.roster import SignupRefused


def refusal(callable_, **kwargs) -> SignupRefused:
    with pytest.raises(SignupRefused) as refused:
        callable_(**kwargs)
    return refused.value


def test_an_approved_volunteer_takes_a_place(shifts, mawkibs, roles, volunteer, demand_for):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    assignment = roster.shift_signup(application=volunteer, demand_id=demand.pk)
    assert assignment.shift == demand.shift


def test_the_last_place_goes_once_and_the_next_person_is_told_it_is_full(
    shifts, mawkibs, roles, season, shift_days, make_application, demand_for
):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)  # 2 places
    days = [d.isoformat() for d in shift_days]
    people = [make_application(season, i, days=days) for i in range(3)]
    roster.shift_signup(application=people[0], demand_id=demand.pk)
    roster.shift_signup(application=people[1], demand_id=demand.pk)
    refused = refusal(roster.shift_signup, application=people[2], demand_id=demand.pk)
    assert refused.code == "full"
    assert "پر است" in refused.message
    assert Assignment.objects.filter(demand=demand).count() == 2


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("pending", "not_approved"),
        ("woman_in_mens_place", "section"),
        ("cook_without_health_card", "requirement"),
        ("unavailable_day", "day"),
    ],
)
def test_each_refusal_names_its_reason(
    setup, code, shifts, mawkibs, roles, season, shift_days, make_application, demand_for
):
    days = [d.isoformat() for d in shift_days]
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    if setup == "pending":
        person = make_application(season, 1, status=ApplicationStatus.PENDING, days=days)
    elif setup == "woman_in_mens_place":
        person = make_application(season, 1, gender=Gender.WOMEN, days=days)
    elif setup == "cook_without_health_card":
        person = make_application(season, 1, days=days)
        demand = demand_for(mawkibs["mirjaveh"], roles["cooking"], Staffing.ANY)
    else:
        person = make_application(season, 1, days=[shift_days[2].isoformat()])
    assert refusal(roster.shift_signup, application=person, demand_id=demand.pk).code == code


def test_overlapping_and_too_close_shifts_are_refused(
    shifts, mawkibs, roles, volunteer, demand_for
):
    roster.shift_signup(
        application=volunteer,
        demand_id=demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN).pk,
    )
    same_time_elsewhere = demand_for(mawkibs["rimdan"], roles["serving"], Staffing.MEN)
    refused = refusal(roster.shift_signup, application=volunteer, demand_id=same_time_elsewhere.pk)
    assert refused.code == "overlap"
    assert "موکب مرز میرجاوه" in refused.message
    # The evening shift starts as the morning one ends: no rest at all.
    evening = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN, shift_name="عصر")
    assert refusal(roster.shift_signup, application=volunteer, demand_id=evening.pk).code == "rest"
    # The next morning is 18 hours later: fine.
    roster.shift_signup(
        application=volunteer,
        demand_id=demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN, 1).pk,
    )


def test_one_person_cannot_hold_two_places_in_one_shift(
    shifts, mawkibs, roles, volunteer, demand_for, coordinator
):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    roster.shift_signup(application=volunteer, demand_id=demand.pk)
    first_aid = demand_for(mawkibs["mirjaveh"], roles["first_aid"], Staffing.ANY)
    # Even a coordinator, who may skip the qualification check, cannot double-book a shift.
    refused = refusal(
        roster.shift_assign, actor=coordinator, application=volunteer, demand_id=first_aid.pk
    )
    assert refused.code in ("already", "overlap")


def test_a_no_show_frees_the_place(
    shifts, mawkibs, roles, season, shift_days, make_application, demand_for, coordinator
):
    demand = demand_for(mawkibs["mirjaveh"], roles["cooking"], Staffing.ANY)  # 1 place
    days = [d.isoformat() for d in shift_days] + [_today()]  # the shift moves to today
    cook = make_application(season, 1, days=days, qualifications=["health_card"])
    other = make_application(season, 2, days=days, qualifications=["health_card"])
    held = roster.shift_signup(application=cook, demand_id=demand.pk)
    assert refusal(roster.shift_signup, application=other, demand_id=demand.pk).code == "full"
    _shift_begins_within_the_hour(demand)
    roster.assignment_mark_no_show(actor=coordinator, assignment=held)
    roster.shift_signup(application=other, demand_id=demand.pk)


def test_a_no_show_who_arrives_late_cannot_push_the_shift_over_capacity(
    shifts, mawkibs, roles, season, shift_days, make_application, demand_for, coordinator
):
    demand = demand_for(mawkibs["mirjaveh"], roles["cooking"], Staffing.ANY)  # 1 place
    days = [d.isoformat() for d in shift_days] + [_today()]  # the shift moves to today
    late = make_application(season, 1, days=days, qualifications=["health_card"])
    other = make_application(season, 2, days=days, qualifications=["health_card"])
    held = roster.shift_signup(application=late, demand_id=demand.pk)
    _shift_begins_within_the_hour(demand)
    roster.assignment_mark_no_show(actor=coordinator, assignment=held)
    roster.shift_signup(application=other, demand_id=demand.pk)
    assert refusal(roster.assignment_check_in, actor=coordinator, assignment=held).code == "full"
    assert (
        Assignment.objects.filter(demand=demand, status__in=["assigned", "checked_in"]).count() == 1
    )


def _shift_begins_within_the_hour(demand) -> None:
    """Attendance is taken around the shift's own time: bring the shift to the door."""
    from datetime import timedelta

    from django.utils import timezone

    from hamafza.mawkib.models import Shift

    starts = timezone.now() + timedelta(minutes=30)
    Shift.objects.filter(pk=demand.shift_id).update(
        starts_at=starts, ends_at=starts + timedelta(hours=6)
    )


def test_attendance_is_refused_far_from_the_shift(
    shifts, mawkibs, roles, volunteer, demand_for, coordinator
):
    held = roster.shift_signup(
        application=volunteer,
        demand_id=demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN, 2).pk,
    )
    assert refusal(roster.assignment_check_in, actor=coordinator, assignment=held).code == "not_now"


def _today() -> str:
    """Today's date in Tehran, as the shift brought to the door half an hour from now."""
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localtime(timezone.now() + timedelta(minutes=30)).date().isoformat()


def test_when_a_place_frees_up_the_first_person_waiting_is_told_once(
    shifts,
    mawkibs,
    roles,
    season,
    shift_days,
    make_application,
    demand_for,
    coordinator,
    settings,
    django_capture_on_commit_callbacks,
):
    from hamafza.core.sms.log import LogBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    demand = demand_for(mawkibs["mirjaveh"], roles["cooking"], Staffing.ANY)  # 1 place
    days = [d.isoformat() for d in shift_days]
    cook, first, second = (
        make_application(season, i, days=days, qualifications=["health_card"]) for i in (1, 2, 3)
    )
    held = roster.shift_signup(application=cook, demand_id=demand.pk)
    roster.waitlist_join(application=first, demand_id=demand.pk)
    roster.waitlist_join(application=second, demand_id=demand.pk)
    LogBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        roster.assignment_cancel(actor=coordinator, assignment=held)
    assert [m.to for m in LogBackend.outbox] == [first.mobile]
    assert "جایی خالی شد" in LogBackend.outbox[0].text
