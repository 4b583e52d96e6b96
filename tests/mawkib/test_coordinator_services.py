"""The coordinators' services: setting a season up, shifts, quotas and nominations,
decisions and the service log. Each rule, its refusal, and its permission."""

import threading
from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from hamafza.core.models import AuditEntry
from hamafza.mawkib.models import (
    AgencyQuota,
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    Mawkib,
    Season,
    ServiceLog,
    Shift,
    ShiftDemand,
    Staffing,
    TemplateDemand,
)
from hamafza.mawkib.services import applications, day, roster, seasons

from .conftest import NATIONAL_CODES


def window(days_from_now=1):
    now = timezone.now() + timedelta(days=days_from_now)
    return {
        "signup_opens_at": now,
        "signup_closes_at": now + timedelta(days=30),
        "edit_deadline": now + timedelta(days=20),
    }


# --- Seasons ---


def test_a_coordinator_opens_a_season_whose_arbaeen_comes_from_the_lunar_calendar(coordinator):
    season = seasons.season_create(actor=coordinator, hijri_year=1448, **window())
    assert season.title == "اربعین ۱۴۴۸"
    assert season.arbaeen.year == 2026  # 20 Safar 1448
    assert AuditEntry.objects.filter(action="mawkib.season.created").exists()


@pytest.mark.parametrize("mistake", ["duplicate", "closes_first", "deadline_first"])
def test_a_season_refuses_a_second_year_or_a_disordered_window(coordinator, season, mistake):
    values = window()
    year = 1450
    if mistake == "duplicate":
        year = season.hijri_year
    elif mistake == "closes_first":
        values["signup_closes_at"] = values["signup_opens_at"] - timedelta(hours=1)
    else:
        values["edit_deadline"] = values["signup_opens_at"] - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        seasons.season_create(actor=coordinator, hijri_year=year, **values)
    assert any("ساخته شده" in m or "پس از" in m or "پیش از" in m for m in refused.value.messages)
    assert Season.objects.count() == 1


def test_outsiders_and_pr_managers_cannot_set_seasons_up(outsider, owner, season, mawkibs):
    for user in (outsider, owner):
        with pytest.raises(PermissionDenied):
            seasons.season_create(actor=user, hijri_year=1450, **window())
        with pytest.raises(PermissionDenied):
            seasons.mawkib_update(actor=user, mawkib=mawkibs["rimdan"], name="x")


def test_season_update_saves_only_what_changed(coordinator, season):
    seasons.season_update(actor=coordinator, season=season, title="اربعین ۱۴۴۹ — تازه")
    entry = AuditEntry.objects.get(action="mawkib.season.changed")
    assert entry.data == {"fields": ["title"]}
    seasons.season_update(actor=coordinator, season=season, title="اربعین ۱۴۴۹ — تازه")
    assert AuditEntry.objects.filter(action="mawkib.season.changed").count() == 1


def test_next_season_copies_mawkibs_roles_templates_and_managers(
    coordinator, season, mawkibs, roles, shifts, member
):
    mawkibs["mirjaveh"].managers.add(member)
    new = seasons.season_copy_next(actor=coordinator, season=season, **window())
    assert new.hijri_year == 1450 and new.title == "اربعین ۱۴۵۰"
    assert new.mawkibs.count() == 3 and new.roles.count() == len(roles)
    copy = new.mawkibs.get(site_key="mirjaveh")
    assert list(copy.managers.all()) == [member]
    assert TemplateDemand.objects.filter(template__mawkib=copy).count() == 8
    assert not Shift.objects.filter(mawkib__season=new).exists()
    assert not new.applications.exists()


def test_mawkib_edit_changes_place_sections_and_managers(coordinator, mawkibs, member):
    mawkib = mawkibs["rimdan"]
    seasons.mawkib_update(
        actor=coordinator,
        mawkib=mawkib,
        name="موکب مرزی ریمدان",
        has_women_section=False,
        latitude=25.38,
        longitude=61.65,
        managers=[member],
    )
    mawkib.refresh_from_db()
    assert mawkib.name == "موکب مرزی ریمدان" and not mawkib.has_women_section
    assert list(mawkib.managers.all()) == [member]
    entry = AuditEntry.objects.get(action="mawkib.mawkib.changed")
    assert set(entry.data["fields"]) >= {"name", "has_women_section", "managers"}
    with pytest.raises(ValidationError):
        seasons.mawkib_update(actor=coordinator, mawkib=mawkib, has_men_section=False)
    with pytest.raises(ValidationError):
        seasons.mawkib_update(actor=coordinator, mawkib=mawkib, site_key="mirjaveh")


def test_mawkib_create_and_roles(coordinator, season, county):
    mawkib = seasons.mawkib_create(
        actor=coordinator,
        season=season,
        site_key="zahedan",
        name="موکب زاهدان",
        kind="pilgrim_house",
        county=county,
        has_men_section=True,
        has_women_section=True,
    )
    assert mawkib.season == season
    role = seasons.role_create(
        actor=coordinator,
        season=season,
        code="driving",
        name="رانندگی",
        staffing=Staffing.MEN,
        requirements=["driving_licence"],
    )
    with pytest.raises(ValidationError):
        seasons.role_create(actor=coordinator, season=season, code="driving", name="دیگر")
    seasons.role_update(actor=coordinator, role=role, name="رانندگی و پشتیبانی")
    role.refresh_from_db()
    assert role.name == "رانندگی و پشتیبانی"


def test_template_demand_is_set_changed_and_removed(coordinator, mawkibs, roles):
    template = seasons.template_create(
        actor=coordinator, mawkib=mawkibs["imam-reza"], name="شب", starts=time(20), hours=8
    )
    seasons.template_demand_set(
        actor=coordinator, template=template, role=roles["serving"], gender="women", count=3
    )
    seasons.template_demand_set(
        actor=coordinator, template=template, role=roles["serving"], gender="women", count=5
    )
    assert template.demands.get().count == 5
    seasons.template_demand_set(
        actor=coordinator, template=template, role=roles["serving"], gender="women", count=0
    )
    assert not template.demands.exists()
    with pytest.raises(ValidationError) as refused:  # security is staffed by men only
        seasons.template_demand_set(
            actor=coordinator, template=template, role=roles["security"], gender="women", count=1
        )
    assert "آقایان" in refused.value.messages[0]


# --- Shifts ---


def test_a_batch_is_undone_unless_someone_holds_a_place(
    coordinator, shifts, mawkibs, roles, volunteer, demand_for
):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    place = roster.shift_signup(application=volunteer, demand_id=demand.pk)
    with pytest.raises(ValidationError) as refused:
        seasons.shift_batch_undo(actor=coordinator, batch=shifts)
    assert "خادم دارد" in refused.value.messages[0]
    # A place given back no longer blocks the undo (it used to hit a protected key).
    roster.assignment_cancel(actor=coordinator, assignment=place)
    removed = seasons.shift_batch_undo(actor=coordinator, batch=shifts)
    assert removed > 0
    assert not Shift.objects.filter(batch=shifts).exists()
    with pytest.raises(ValidationError):
        seasons.shift_batch_undo(actor=coordinator, batch=shifts)


def test_generation_skips_shifts_that_exist(coordinator, season, shifts, shift_days):
    before = Shift.objects.count()
    again = seasons.shifts_generate(
        actor=coordinator, season=season, first_day=shift_days[0], last_day=shift_days[-1]
    )
    assert Shift.objects.count() == before
    assert not again.shifts.exists()


def test_capacity_never_drops_below_places_taken(
    coordinator, shifts, mawkibs, roles, volunteer, demand_for
):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    roster.shift_signup(application=volunteer, demand_id=demand.pk)
    with pytest.raises(ValidationError) as refused:
        seasons.demand_set_capacity(actor=coordinator, demand=demand, capacity=0)
    assert "۱ نفر" in refused.value.message_dict["capacity"][0]
    seasons.demand_set_capacity(actor=coordinator, demand=demand, capacity=5)
    demand.refresh_from_db()
    assert demand.capacity == 5


# --- Quotas and nominations ---


def nominee(index, shift_days):
    return {
        "national_code": NATIONAL_CODES[index],
        "first_name": f"کارمند{index}",
        "last_name": "بهزیستی",
        "mobile": f"0915000{index:04d}",
        "gender": "men",
        "birth_date": timezone.localdate() - timedelta(days=365 * 30),
        "available_days": [shift_days[0].isoformat()],
        "emergency_name": "همسر",
        "emergency_mobile": "09150000000",
    }


def test_a_pr_manager_nominates_within_the_quota(coordinator, owner, agency, season, shift_days):
    seasons.quota_set(actor=coordinator, season=season, organisation=agency, quota=1)
    made = applications.application_nominate(
        actor=owner, season=season, organisation=agency, **nominee(0, shift_days)
    )
    assert made.nominated_by == owner and made.organisation == agency
    with pytest.raises(ValidationError) as refused:
        applications.application_nominate(
            actor=owner, season=season, organisation=agency, **nominee(1, shift_days)
        )
    assert "پر شده" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:  # the quota cannot go below the nominated
        seasons.quota_set(actor=coordinator, season=season, organisation=agency, quota=0)
    assert "quota" in refused.value.message_dict


def test_a_pr_manager_nominates_only_for_their_own_agency(
    coordinator, other_owner, agency, season, shift_days
):
    seasons.quota_set(actor=coordinator, season=season, organisation=agency, quota=5)
    with pytest.raises(PermissionDenied):
        applications.application_nominate(
            actor=other_owner, season=season, organisation=agency, **nominee(0, shift_days)
        )
    with pytest.raises(PermissionDenied):
        seasons.quota_set(actor=other_owner, season=season, organisation=agency, quota=9)
    assert not Application.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises"
)
def test_two_nominations_at_once_cannot_both_take_the_last_quota_place(
    coordinator, owner, agency, season, shift_days
):
    seasons.quota_set(actor=coordinator, season=season, organisation=agency, quota=1)
    results, barrier = [], threading.Barrier(4)

    def nominate(index):
        try:
            barrier.wait()
            applications.application_nominate(
                actor=owner, season=season, organisation=agency, **nominee(index, shift_days)
            )
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=nominate, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused", "refused", "refused"]
    assert Application.objects.filter(organisation=agency).count() == 1


# --- Decisions ---


def test_rejecting_needs_a_reason_and_frees_the_places_not_yet_served(
    coordinator, shifts, mawkibs, roles, volunteer, demand_for
):
    demand = demand_for(mawkibs["mirjaveh"], roles["serving"], Staffing.MEN)
    roster.shift_signup(application=volunteer, demand_id=demand.pk)
    with pytest.raises(ValidationError) as refused:
        applications.application_decide(
            actor=coordinator, applications=[volunteer], status=ApplicationStatus.REJECTED
        )
    assert "reason" in refused.value.message_dict
    applications.application_decide(
        actor=coordinator,
        applications=[volunteer],
        status=ApplicationStatus.REJECTED,
        reason="مدارک ناقص",
    )
    volunteer.refresh_from_db()
    assert volunteer.status == "rejected" and volunteer.decided_by == coordinator
    assert Assignment.objects.get().status == AssignmentStatus.CANCELLED
    entry = AuditEntry.objects.get(action="mawkib.application.rejected")
    assert entry.actor == coordinator and entry.data == {"reason": "مدارک ناقص"}


def test_prior_attendance_counts_shifts_served_in_earlier_seasons(
    season, mawkibs, roles, make_application, django_assert_num_queries
):
    earlier = Season.objects.create(hijri_year=1447, title="اربعین ۱۴۴۷", **window(-400))
    old = make_application(earlier, 0)
    mawkib = Mawkib.objects.create(
        season=earlier,
        site_key="mirjaveh",
        name="م",
        kind="border",
        county=mawkibs["rimdan"].county,
    )
    start = timezone.now() - timedelta(days=380)
    shift = Shift.objects.create(
        mawkib=mawkib, name="صبح", starts_at=start, ends_at=start + timedelta(hours=6)
    )
    demand = ShiftDemand.objects.create(
        shift=shift, role=roles["serving"], gender="any", capacity=2
    )
    Assignment.objects.create(demand=demand, shift=shift, application=old, status="checked_out")
    with django_assert_num_queries(1):
        found = applications.prior_attendance([NATIONAL_CODES[0], NATIONAL_CODES[1]], season)
    assert found == {NATIONAL_CODES[0]: [(1447, 1)]}


# --- The service log ---


def test_one_service_log_per_shift_and_recording_again_updates_it(coordinator, shifts, mawkibs):
    mawkib = mawkibs["mirjaveh"]
    shift = mawkib.shifts.order_by("starts_at").first()
    # A shift still ahead cannot be reported; move this one to this morning.
    shift.starts_at = timezone.now() - timedelta(hours=3)
    shift.ends_at = shift.starts_at + timedelta(hours=6)
    shift.save()
    log, created = day.service_log_record(
        actor=coordinator, mawkib=mawkib, shift=shift, pilgrims_men=120, meals=300, notes="شلوغ"
    )
    assert created and log.day == timezone.localdate(shift.starts_at)
    log, created = day.service_log_record(
        actor=coordinator, mawkib=mawkib, shift=shift, pilgrims_men=150, pilgrims_women=80
    )
    assert not created
    assert ServiceLog.objects.count() == 1
    log.refresh_from_db()
    assert (log.pilgrims_men, log.pilgrims_women, log.meals, log.notes) == (150, 80, 0, "")
    actions = list(
        AuditEntry.objects.filter(action__startswith="mawkib.service_log").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["mawkib.service_log.recorded", "mawkib.service_log.updated"]


def test_service_log_refusals(coordinator, shifts, mawkibs, member, outsider):
    mawkib = mawkibs["mirjaveh"]
    future = mawkib.shifts.order_by("starts_at").first()
    with pytest.raises(ValidationError) as refused:
        day.service_log_record(actor=coordinator, mawkib=mawkib, shift=future, meals=1)
    assert "day" in refused.value.message_dict
    other = mawkibs["rimdan"].shifts.first()
    with pytest.raises(ValidationError) as refused:
        day.service_log_record(actor=coordinator, mawkib=mawkib, shift=other)
    assert "shift" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        day.service_log_record(actor=outsider, mawkib=mawkib, day=timezone.localdate())
    # A mawkib's own manager records its day; a manager of another mawkib cannot.
    mawkibs["rimdan"].managers.add(member)
    with pytest.raises(PermissionDenied):
        day.service_log_record(actor=member, mawkib=mawkib, day=timezone.localdate())
    log, created = day.service_log_record(
        actor=member, mawkib=mawkibs["rimdan"], day=timezone.localdate(), tea_water=40
    )
    assert created and log.shift is None
    _again, created = day.service_log_record(
        actor=member, mawkib=mawkibs["rimdan"], day=timezone.localdate(), tea_water=45
    )
    assert not created and ServiceLog.objects.get().tea_water == 45


def test_quota_set_is_audited_with_the_agency(coordinator, season, agency):
    seasons.quota_set(actor=coordinator, season=season, organisation=agency, quota=4)
    seasons.quota_set(actor=coordinator, season=season, organisation=agency, quota=6)
    assert AgencyQuota.objects.get().quota == 6
    entry = AuditEntry.objects.filter(action="mawkib.quota.set").order_by("pk").last()
    assert entry.organisation_id == agency.pk and entry.data == {"from": 4, "to": 6}


def test_an_agency_cannot_make_its_own_province_wide_coordinator(
    owner, member, agency, season, login
):
    from hamafza.network import services as network_services

    network_services.membership_grant(
        actor=owner, organisation=agency, user=member, role="volunteer_coordinator"
    )
    assert login(member).get(f"/mawkib/{season.pk}/applications/").status_code in (403, 404)
