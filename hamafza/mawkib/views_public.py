"""The public, volunteer-facing pages: the readiness form (no account needed), the status
page reached with the tracking code and a one-time code sent by SMS, and there the
volunteer's own sign-up for shifts. Views parse input, call one service, render; every
rule lives in services/applications.py and services/roster.py."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamafza.core import ratelimit
from hamafza.core.clients import client_address
from hamafza.core.decorators import public
from hamafza.core.forms import service_errors
from hamafza.core.sms import SmsUnavailable

from .applicant import applicant_login, applicant_logout, current_applicant
from .forms_public import ApplicationForm, NationalCodeForm, OtpForm, TrackingCodeForm
from .models import ApplicationStatus, AssignmentStatus
from .services import applications, roster

APPLIED_KEY = "mawkib_applied"  # the application just submitted, for the thank-you page
TRACKING_KEY = "mawkib_tracking_code"  # the code a one-time code was asked for

# Rate limits on top of the services' own (one code a minute per application, five tries
# per code): per tracking code, and per address so one machine cannot sweep many codes.
# Mobile carriers put many people behind one address, hence the generous per-address caps.
OTP_SEND_PER_CODE_SECONDS = 60
OTP_SEND_PER_ADDRESS = (20, 10 * 60)
OTP_VERIFY_PER_CODE = (10, 10 * 60)
OTP_VERIFY_PER_ADDRESS = (30, 10 * 60)
# Tracking codes sent again (the form filled for an existing national code, «lost my
# tracking code») per address, on top of the per-application limit in the service.
REMINDERS_PER_ADDRESS = (10, 60 * 60)


def _reminders_allowed(request):
    """Asked by the service only when a tracking code is due to go again."""
    return lambda: not _over_limit(f"remind-ip:{client_address(request)}", *REMINDERS_PER_ADDRESS)


def _over_limit(key: str, limit: int, seconds: int) -> bool:
    """Count one more hit on `key` in a window of `seconds`, shared by every process;
    True once past `limit`."""
    return ratelimit.hit(f"mawkib:{key}", limit=limit, window=seconds)


# --- The readiness form -----------------------------------------------------------------


@public
def apply(request):
    season = applications.season_for_signup()
    if season is None:
        return render(request, "mawkib/public/closed.html", applications.season_signup_news())
    days = applications.season_service_days(season)
    form = ApplicationForm(request.POST or None, season=season, days=days)
    if request.method == "POST":
        if form.is_valid():
            with service_errors(form):
                applications.application_submit(
                    season=season,
                    national_code=form.cleaned_data["national_code"],
                    consent=form.cleaned_data["consent"],
                    address_allows_reminder=_reminders_allowed(request),
                    **form.service_values(),
                )
                # The same page whether the national code was new or had applied: it
                # must not tell a stranger who has applied.
                request.session[APPLIED_KEY] = True
                return redirect("mawkib:apply_done")
        return render(
            request, "mawkib/public/apply.html", {"form": form, "season": season}, status=400
        )
    return render(request, "mawkib/public/apply.html", {"form": form, "season": season})


@public
def apply_done(request):
    if not request.session.get(APPLIED_KEY):
        return redirect("mawkib:apply")
    return render(request, "mawkib/public/apply_done.html")


@public
def track_lost(request):
    """«Lost my tracking code»: it goes again to the mobile on file; the answer is the
    same whether or not the national code has applied."""
    form = NationalCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        applications.application_remind(
            national_code=form.cleaned_data["national_code"],
            address_allows=_reminders_allowed(request),
        )
        return render(request, "mawkib/public/track_lost.html", {"sent": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "mawkib/public/track_lost.html", {"form": form}, status=status)


@public
def privacy(request):
    return render(request, "mawkib/public/privacy.html")


# --- Tracking code and one-time code ------------------------------------------------------


@public
def track(request):
    form = TrackingCodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            code = form.cleaned_data["tracking_code"]
            # The same answer whether or not the code exists, so codes cannot be probed.
            if _over_limit(f"otp-send:{code}", 1, OTP_SEND_PER_CODE_SECONDS):
                form.add_error(
                    "tracking_code",
                    _("یک رمز یک‌بار مصرف همین حالا فرستاده شد؛ یک دقیقه بعد دوباره بخواهید."),
                )
            elif _over_limit(f"otp-send-ip:{client_address(request)}", *OTP_SEND_PER_ADDRESS):
                form.add_error(
                    "tracking_code", _("درخواست‌ها بیش از اندازه بود؛ چند دقیقه بعد دوباره بکوشید.")
                )
            else:
                try:
                    applications.application_otp_send(tracking_code=code)
                except SmsUnavailable as unavailable:
                    # Nothing went out: asking again must not wait for a code never sent.
                    ratelimit.reset(f"mawkib:otp-send:{code}", window=OTP_SEND_PER_CODE_SECONDS)
                    form.add_error(None, str(unavailable))
                except ValidationError as error:
                    form.add_error("tracking_code", error.messages)
                else:
                    request.session[TRACKING_KEY] = code
                    return redirect("mawkib:track_verify")
        return render(request, "mawkib/public/track.html", {"form": form}, status=400)
    return render(request, "mawkib/public/track.html", {"form": form})


@public
def track_verify(request):
    code = request.session.get(TRACKING_KEY)
    if not code:
        return redirect("mawkib:track")
    form = OtpForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            if _over_limit(f"otp-verify:{code}", *OTP_VERIFY_PER_CODE) or _over_limit(
                f"otp-verify-ip:{client_address(request)}", *OTP_VERIFY_PER_ADDRESS
            ):
                form.add_error(
                    "code", _("تلاش‌ها بیش از اندازه بود؛ چند دقیقه بعد رمز تازه بخواهید.")
                )
            else:
                with service_errors(form):
                    application = applications.application_otp_verify(
                        tracking_code=code, code=form.cleaned_data["code"]
                    )
                    applicant_login(request, application)
                    request.session.pop(TRACKING_KEY, None)
                    return redirect("mawkib:me")
        return render(
            request, "mawkib/public/track_verify.html", {"form": form, "code": code}, status=400
        )
    return render(request, "mawkib/public/track_verify.html", {"form": form, "code": code})


# --- The applicant's own page -----------------------------------------------------------


def _signed_out(request):
    messages.warning(
        request, _("نشست شما پایان یافته است؛ دوباره با کد رهگیری و رمز یک‌بار مصرف وارد شوید.")
    )
    return redirect("mawkib:track")


def _group_places(places) -> list[dict]:
    """Day → mawkib → shift → places, in time order."""
    days: dict = {}
    for demand in places:
        shift = demand.shift
        day = days.setdefault(timezone.localdate(shift.starts_at), {})
        mawkib = day.setdefault(shift.mawkib_id, {"mawkib": shift.mawkib, "shifts": {}})
        mawkib["shifts"].setdefault(shift.pk, {"shift": shift, "places": []})["places"].append(
            demand
        )
    return [
        {
            "day": day,
            "mawkibs": [
                {"mawkib": m["mawkib"], "shifts": list(m["shifts"].values())}
                for m in mawkibs.values()
            ],
        }
        for day, mawkibs in days.items()
    ]


def _render_me(request, application, *, refusal=None, withdraw_error=None, status=200):
    season = application.season
    now = timezone.now()
    open_status = application.status not in (
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    )
    places = roster.eligible_places(application)
    if refusal is not None:
        # Beside the place or the shift it is about; at the top when the page does not list it.
        refusal["beside"] = (
            any(p.pk == refusal["demand_id"] for p in places) if "demand_id" in refusal else True
        )
    context = {
        "application": application,
        "season": season,
        "assignments": roster.application_assignments(application),
        "days": _group_places(places),
        "available_days": [date.fromisoformat(d) for d in application.available_days],
        "approved": application.status == ApplicationStatus.APPROVED,
        "editable": now < season.edit_deadline and application.status != ApplicationStatus.REJECTED,
        "can_withdraw": now < season.edit_deadline and open_status,
        "signup_open": season.signup_open(now),
        "refusal": refusal,
        "withdraw_error": withdraw_error,
        "ASSIGNED": AssignmentStatus.ASSIGNED,
    }
    return render(request, "mawkib/public/me.html", context, status=status)


@public
def me(request):
    application = current_applicant(request)
    if application is None:
        return _signed_out(request)
    return _render_me(request, application)


@public
def me_edit(request):
    application = current_applicant(request)
    if application is None:
        return _signed_out(request)
    season = application.season
    days = applications.season_service_days(season)
    # Days offered earlier stay on the form even if the season's days moved since.
    known = {d.isoformat() for d in days}
    extra = [d for d in application.available_days if d not in known]
    if extra:
        days = sorted([*days, *(date.fromisoformat(d) for d in extra)])
    form = ApplicationForm(
        request.POST or None,
        season=season,
        days=days,
        editing=True,
        initial=ApplicationForm.initial_from(application),
    )
    context = {
        "form": form,
        "application": application,
        "season": season,
        "open": timezone.now() < season.edit_deadline,
    }
    if request.method == "POST":
        if form.is_valid():
            with service_errors(form):
                applications.application_update(application=application, **form.service_values())
                messages.success(request, _("تغییرات درخواست شما ذخیره شد."))
                return redirect("mawkib:me")
        return render(request, "mawkib/public/me_edit.html", context, status=400)
    return render(request, "mawkib/public/me_edit.html", context)


@public
@require_POST
def me_withdraw(request):
    application = current_applicant(request)
    if application is None:
        return _signed_out(request)
    try:
        applications.application_withdraw(application=application)
    except ValidationError as error:
        return _render_me(request, application, withdraw_error=" ".join(error.messages), status=400)
    messages.success(request, _("انصراف شما ثبت شد و نوبت‌هایتان آزاد شد."))
    return redirect("mawkib:me")


def _place_action(request, demand_id: int, service, done_message: str, anchor: str):
    application = current_applicant(request)
    if application is None:
        return _signed_out(request)
    try:
        service(application=application, demand_id=demand_id)
    except roster.SignupRefused as refused:
        if refused.code == "unknown":
            raise Http404 from None
        refusal = {"demand_id": demand_id, "code": refused.code, "message": refused.message}
        return _render_me(request, application, refusal=refusal, status=400)
    messages.success(request, done_message)
    # To the volunteer's own list, where the new place shows (a bare redirect would keep
    # the form's #place fragment).
    return redirect(f"{reverse('mawkib:me')}#{anchor}")


@public
@require_POST
def me_signup(request, demand_id: int):
    return _place_action(
        request, demand_id, roster.shift_signup, _("این نوبت برای شما ثبت شد."), "mine"
    )


@public
@require_POST
def me_waitlist(request, demand_id: int):
    return _place_action(
        request,
        demand_id,
        roster.waitlist_join,
        _("در فهرست انتظار این نوبت ماندید؛ اگر جایی آزاد شود هماهنگ‌کننده با شما تماس می‌گیرد."),
        f"place-{demand_id}",
    )


@public
@require_POST
def me_cancel(request, assignment_id: int):
    application = current_applicant(request)
    if application is None:
        return _signed_out(request)
    # Only the applicant's own places: any other id is simply not found.
    assignment = application.assignments.filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    try:
        roster.assignment_cancel(actor=None, assignment=assignment, application=application)
    except roster.SignupRefused as refused:
        refusal = {"assignment_id": assignment.pk, "code": refused.code, "message": refused.message}
        return _render_me(request, application, refusal=refusal, status=400)
    messages.success(request, _("نوبت شما لغو شد و جای آن آزاد شد."))
    return redirect(f"{reverse('mawkib:me')}#mine")


@public
@require_POST
def me_leave(request):
    applicant_logout(request)
    messages.success(request, _("از صفحه درخواست خود بیرون آمدید."))
    return redirect("mawkib:track")
