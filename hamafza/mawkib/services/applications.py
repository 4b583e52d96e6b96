"""Volunteers' applications: the public readiness form, the tracking code with a one-time
code sent by SMS, the agencies' nominations within their quota, and the coordinators'
decisions."""

from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hamafza.core.audit import audit
from hamafza.core.codes import keyed_hash, matches, new_code
from hamafza.core.models import SmsNotice
from hamafza.core.permissions import require
from hamafza.core.sms import SmsUnavailable, gateway_unavailable, queue_notice, send_otp
from hamafza.persian.digits import to_persian_digits

from ..models import (
    HOLDING,
    AgencyQuota,
    Application,
    ApplicationOtp,
    ApplicationStatus,
    Season,
    Shift,
    WaitlistEntry,
    new_tracking_code,
)

# What the applicant fills in; the rest is set by the system.
APPLICANT_FIELDS = (
    "first_name",
    "last_name",
    "mobile",
    "gender",
    "birth_date",
    "county",
    "organisation",
    "qualifications",
    "skills_note",
    "available_days",
    "preferred_mawkib",
    "emergency_name",
    "emergency_mobile",
)
# What the coordinators vetted: changing it sends an approved application back to them.
VETTED_FIELDS = {"gender", "qualifications", "available_days", "organisation"}
OTP_TTL = timedelta(minutes=10)
OTP_MAX_ATTEMPTS = 5
OTP_DAILY_ATTEMPTS = 15


def _check_values(season: Season, values: dict) -> None:
    days = values.get("available_days") or []
    if not days:
        raise ValidationError({"available_days": _("دست‌کم یک روز آمادگی را برگزینید.")})
    mawkib = values.get("preferred_mawkib")
    if mawkib is not None and mawkib.season_id != season.pk:
        raise ValidationError({"preferred_mawkib": _("این موکب در فصل جاری نیست.")})
    birth = values.get("birth_date")
    if birth and birth > timezone.localdate() - timedelta(days=365 * 15):
        raise ValidationError({"birth_date": _("خادمان موکب باید دست‌کم ۱۵ سال داشته باشند.")})


@transaction.atomic
def application_submit(
    *,
    season: Season,
    national_code: str,
    consent: bool,
    address_allows_reminder: Callable[[], bool] = lambda: True,
    **values,
) -> tuple[Application, bool]:
    """The public readiness form. One application per person per season: applying again
    changes nothing and sends the tracking code again to the registered mobile, within
    the reminder limits (changes go through the tracking page). Returns (application,
    created); the caller answers the same either way. The tracking code goes by SMS only,
    after commit."""
    now = timezone.now()
    if not season.signup_open(now):
        raise ValidationError(_("ثبت‌نام خادمان این فصل باز نیست."))
    if not consent:
        raise ValidationError({"consent": _("برای ثبت درخواست باید شرایط حریم خصوصی را بپذیرید.")})
    _check_values(season, values)
    fields = {k: v for k, v in values.items() if k in APPLICANT_FIELDS}
    existing = (
        Application.objects.select_for_update()
        .filter(season=season, national_code=national_code)
        .first()
    )
    if existing is not None:
        # A national code is no secret: whoever types one changes nothing and learns
        # nothing. The holder of the registered mobile gets the tracking code again, and
        # edits through the tracking page (by one-time code).
        _remind(existing, address_allows_reminder)
        return existing, False
    application = _create_with_unique_code(
        season=season, national_code=national_code, consent_at=now, **fields
    )
    audit(actor=None, action="mawkib.application.submitted", target=application)
    _send_tracking_code(application)
    return application, True


def _create_with_unique_code(**values) -> Application:
    """Insert, drawing another tracking code if the random one is taken."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Application.objects.create(tracking_code=new_tracking_code(), **values)
        except IntegrityError:
            same_person = Application.objects.filter(
                season=values["season"], national_code=values["national_code"]
            )
            if same_person.exists():
                # Two submissions for one person at the same moment: the constraint held.
                raise ValidationError(
                    _(
                        "برای این کد ملی هم‌اکنون درخواستی ثبت شد؛ دوباره بفرستید تا کد رهگیری آن به شماره همراه ثبت‌شده پیامک شود."
                    )
                ) from None
    raise RuntimeError("could not find a free tracking code")


def _send_tracking_code(application: Application, *, again: bool = False) -> None:
    queue_notice("mawkib.application.tracking_code", application=application.pk, again=again)


# Someone typing another person's national code must not be able to flood their phone:
# the tracking code goes again at most this often, and this many times a day.
REMINDER_GAP = timedelta(minutes=10)
REMINDERS_PER_DAY = 3


def _remind(application: Application, address_allows: Callable[[], bool]) -> bool:
    """Send the tracking code again to the mobile on file, within the limits per
    application (counted from its queued notices, so every process sees the same count;
    the caller holds the application's row lock) and per address (`address_allows`,
    asked only when a reminder is due). Returns whether it was sent."""
    now = timezone.now()
    sent = SmsNotice.objects.filter(
        kind="mawkib.application.tracking_code",
        params__application=application.pk,
        created_at__gt=now - timedelta(days=1),
    )
    if sent.count() >= REMINDERS_PER_DAY or sent.filter(created_at__gt=now - REMINDER_GAP).exists():
        return False
    if not address_allows():
        return False
    _send_tracking_code(application, again=True)
    audit(actor=None, action="mawkib.application.reminded", target=application)
    return True


@transaction.atomic
def application_remind(
    *, national_code: str, address_allows: Callable[[], bool] = lambda: True
) -> None:
    """«Lost my tracking code»: send it again to the mobile on file, for the latest season
    still open to changes, within the reminder limits. Answers nothing, so the caller says
    the same whether or not the national code applied."""
    application = (
        Application.objects.select_for_update()
        .filter(national_code=national_code, season__edit_deadline__gt=timezone.now())
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .order_by("-season__hijri_year")
        .first()
    )
    if application is not None:
        _remind(application, address_allows)


def _cancel_places(application: Application) -> None:
    """Give back the places not yet served (a withdrawal, a rejection)."""
    from .roster import places_freed

    places = application.assignments.filter(status="assigned")
    demand_ids = list(places.values_list("demand_id", flat=True))
    places.update(status="cancelled")
    places_freed(demand_ids)


def _hash(code: str) -> str:
    return keyed_hash(code)


def application_otp_send(*, tracking_code: str) -> Application | None:
    """Send a one-time code to the mobile of the application with this tracking code.
    Answers the same way whether or not the code exists, so codes cannot be probed: also
    while the gateway takes nothing, when both raise SmsUnavailable. The code goes straight
    from the request, never through the durable queue (its rows would keep the code in
    plain text); a code the gateway did not take reached nobody and is forgotten."""
    busy = gateway_unavailable(account=False)
    if busy is not None:  # for a real code and a made-up one alike
        raise busy
    issued = _otp_issue(tracking_code=tracking_code)
    if issued is None:
        unavailable = gateway_unavailable()
        if unavailable is not None:
            raise unavailable
        return None
    otp, code = issued
    try:
        send_otp(to=otp.application.mobile, code=code, purpose="application")
    except SmsUnavailable:
        ApplicationOtp.objects.filter(pk=otp.pk).delete()
        raise
    return otp.application


@transaction.atomic
def _otp_issue(*, tracking_code: str) -> tuple[ApplicationOtp, str] | None:
    application = Application.objects.filter(tracking_code=tracking_code).first()
    if application is None:
        return None
    recent = application.otps.filter(created_at__gt=timezone.now() - timedelta(minutes=1)).exists()
    if recent:
        raise ValidationError(
            _("یک رمز یک‌بار مصرف همین حالا فرستاده شد؛ یک دقیقه بعد دوباره بخواهید.")
        )
    code = new_code()
    otp = ApplicationOtp.objects.create(
        application=application, code_hash=_hash(code), expires_at=timezone.now() + OTP_TTL
    )
    return otp, code


def application_otp_verify(*, tracking_code: str, code: str) -> Application:
    """Check a one-time code; each code works once, for ten minutes, within five tries."""
    application = _otp_check(tracking_code=tracking_code, code=code)
    if application is None:
        raise ValidationError({"code": _("رمز یک‌بار مصرف درست نیست یا منقضی شده است.")})
    return application


@transaction.atomic
def _otp_check(*, tracking_code: str, code: str) -> Application | None:
    # Returns instead of raising: a wrong try must be counted, and an exception inside
    # the transaction would roll the count back.
    application = Application.objects.filter(tracking_code=tracking_code).first()
    if application is None:
        return None
    otp = (
        application.otps.select_for_update()
        .filter(used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if otp is None or otp.attempts >= OTP_MAX_ATTEMPTS:
        return None
    # Fresh codes do not give fresh chances without end: a day's wrong tries are capped
    # for the application, so guessing over the weeks of a season does not pay.
    day_ago = timezone.now() - timedelta(days=1)
    tries_today = (
        application.otps.filter(created_at__gt=day_ago).aggregate(n=Sum("attempts"))["n"] or 0
    )
    if tries_today >= OTP_DAILY_ATTEMPTS:
        return None
    if not matches(otp.code_hash, code):
        otp.attempts += 1
        otp.save(update_fields=["attempts"])
        return None
    otp.used_at = timezone.now()
    otp.save(update_fields=["used_at"])
    return application


def _editable(application: Application) -> None:
    if timezone.now() >= application.season.edit_deadline:
        raise ValidationError(_("مهلت ویرایش درخواست‌های این فصل گذشته است."))


@transaction.atomic
def application_update(*, application: Application, **values) -> Application:
    """The applicant edits their own application (after the one-time code), until the
    season's edit deadline."""
    application = (
        Application.objects.select_for_update().select_related("season").get(pk=application.pk)
    )
    _editable(application)
    _check_values(application.season, values)
    changed = [
        name
        for name, value in values.items()
        if name in APPLICANT_FIELDS and getattr(application, name) != value
    ]
    vetted = set(changed) & VETTED_FIELDS
    if vetted and application.status == ApplicationStatus.APPROVED:
        if application.assignments.filter(status__in=HOLDING).exists():
            raise ValidationError(
                _(
                    "شما در نوبت‌هایی جا دارید؛ برای تغییر جنسیت، مهارت‌ها یا روزها نخست آن نوبت‌ها را لغو کنید."
                )
            )
        # What the coordinators approved has changed: they look again.
        application.status = ApplicationStatus.PENDING
    for name in changed:
        setattr(application, name, values[name])
    application.updated_at = timezone.now()
    application.save()
    audit(
        actor=None, action="mawkib.application.edited", target=application, data={"fields": changed}
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application) -> Application:
    application = (
        Application.objects.select_for_update().select_related("season").get(pk=application.pk)
    )
    _editable(application)
    _cancel_places(application)
    if application.assignments.filter(status__in=HOLDING).exists():
        raise ValidationError(_("شما در نوبت حاضر شده‌اید؛ برای انصراف با هماهنگ‌کننده تماس بگیرید."))
    WaitlistEntry.objects.filter(application=application).delete()
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status"])
    audit(actor=None, action="mawkib.application.withdrawn", target=application)
    return application


DECISIONS = {
    ApplicationStatus.APPROVED: "mawkib.application.approved",
    ApplicationStatus.REJECTED: "mawkib.application.rejected",
    ApplicationStatus.WAITLISTED: "mawkib.application.waitlisted",
}


@transaction.atomic
def application_decide(*, actor, applications, status: str, reason: str = "") -> int:
    """Approve, reject (with a reason) or waitlist applications, one or many at once.
    Each decision is audited with who and when; returns how many changed."""
    require(actor, "mawkib.coordinate")
    if status not in DECISIONS:
        raise ValidationError(_("تصمیم شناخته نیست."))
    if status == ApplicationStatus.REJECTED and not reason.strip():
        raise ValidationError(
            {"reason": _("دلیل رد درخواست را بنویسید؛ به متقاضی نشان داده می‌شود.")}
        )
    now = timezone.now()
    changed = 0
    for application in Application.objects.select_for_update().filter(
        pk__in=[a.pk for a in applications]
    ):
        if application.status in (status, ApplicationStatus.WITHDRAWN):
            continue
        application.status = status
        application.decision_reason = reason.strip()
        application.decided_by = actor
        application.decided_at = now
        application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        if status != ApplicationStatus.APPROVED:
            # Someone no longer approved keeps no place they have not yet served.
            _cancel_places(application)
        audit(
            actor=actor,
            action=DECISIONS[status],
            target=application,
            data={"reason": reason.strip()},
        )
        changed += 1
        if status == ApplicationStatus.APPROVED:
            queue_notice("mawkib.application.approved", application=application.pk)
    return changed


def counted_nominations(season: Season) -> QuerySet[Application]:
    """The agencies' nominations that count against their quotas: a withdrawn one gives
    its place back."""
    return Application.objects.filter(season=season, nominated_by__isnull=False).exclude(
        status=ApplicationStatus.WITHDRAWN
    )


@transaction.atomic
def application_nominate(
    *, actor, season: Season, organisation, national_code: str, **values
) -> Application:
    """An agency's PR manager puts forward one of the agency's staff, within the quota the
    hub set for the agency. The quota row is locked so two nominations cannot both take
    the last place."""
    require(actor, "mawkib.nominate", organisation)
    if not season.signup_open():
        raise ValidationError(_("زمان ثبت‌نام خادمان این فصل نیست؛ معرفی هم در همان بازه ممکن است."))
    quota = (
        AgencyQuota.objects.select_for_update()
        .filter(season=season, organisation=organisation)
        .first()
    )
    if quota is None:
        raise ValidationError(_("اداره کل برای این دستگاه سهمیه‌ای تعیین نکرده است."))
    used = counted_nominations(season).filter(organisation=organisation)
    if used.filter(national_code=national_code).exists():
        raise ValidationError({"national_code": _("این شخص پیش‌تر معرفی شده است.")})
    if used.count() >= quota.quota:
        raise ValidationError(
            _("سهمیه این دستگاه (%(n)s نفر) پر شده است.") % {"n": to_persian_digits(quota.quota)}
        )
    if Application.objects.filter(season=season, national_code=national_code).exists():
        raise ValidationError(
            {
                "national_code": _(
                    "این کد ملی را نمی‌توان معرفی کرد؛ با حوزه اجتماعی اداره کل تماس بگیرید."
                )
            }
        )
    _check_values(season, values)
    fields = {k: v for k, v in values.items() if k in APPLICANT_FIELDS}
    fields["organisation"] = organisation
    application = _create_with_unique_code(
        season=season,
        national_code=national_code,
        consent_at=timezone.now(),
        nominated_by=actor,
        **fields,
    )
    audit(
        actor=actor,
        action="mawkib.application.nominated",
        target=application,
        organisation_id=organisation.pk,
    )
    _send_tracking_code(application)
    return application


def prior_attendance(national_codes: list[str], season: Season) -> dict[str, list[tuple[int, int]]]:
    """For each national code, the earlier seasons it served in and the shifts attended,
    for the coordinators' vetting list (one query)."""
    rows = (
        Application.objects.filter(
            national_code__in=national_codes, season__hijri_year__lt=season.hijri_year
        )
        .values("national_code", "season__hijri_year")
        .annotate(
            served=Count(
                "assignments", filter=Q(assignments__status__in=["checked_in", "checked_out"])
            )
        )
        .order_by("-season__hijri_year")
    )
    found: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        found.setdefault(row["national_code"], []).append(
            (row["season__hijri_year"], row["served"])
        )
    return found


# --- Reads for the public form --------------------------------------------------------------


def season_for_signup(now=None) -> Season | None:
    """The season whose sign-up window is open now, if any."""
    now = now or timezone.now()
    return (
        Season.objects.filter(signup_opens_at__lte=now, signup_closes_at__gt=now)
        .order_by("-hijri_year")
        .first()
    )


def season_signup_news(now=None) -> dict[str, Season | None]:
    """For the "sign-up is not open" page: the next window to open and the last to close."""
    now = now or timezone.now()
    return {
        "next": Season.objects.filter(signup_opens_at__gt=now).order_by("signup_opens_at").first(),
        "last": Season.objects.filter(signup_closes_at__lte=now)
        .order_by("-signup_closes_at")
        .first(),
    }


SERVICE_DAYS_BEFORE, SERVICE_DAYS_AFTER = 10, 5


def season_service_days(season: Season) -> list[date]:
    """The days a volunteer can offer: the days the season has shifts on, or, before any
    shift exists, the ten days before Arbaeen and the five after. Days already past are
    left out while any day remains ahead."""
    starts = Shift.objects.filter(mawkib__season=season).values_list("starts_at", flat=True)
    days = sorted({timezone.localdate(s) for s in starts})
    if not days:
        arbaeen = season.arbaeen
        days = [
            arbaeen + timedelta(days=offset)
            for offset in range(-SERVICE_DAYS_BEFORE, SERVICE_DAYS_AFTER + 1)
        ]
    today = timezone.localdate()
    return [d for d in days if d >= today] or days
