"""The Arbaeen service: a season per year, its mawkibs, the roles volunteers fill, shifts
with their demand per (role, gender), the volunteers' applications, their places on the
roster, and the log of what each mawkib served."""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.core.collation import persian_order
from hamafza.network.models import County, Organisation
from hamafza.persian.lunar import from_hijri

ARBAEEN_MONTH, ARBAEEN_DAY = 2, 20  # 20 Safar


# Check-in opens this long before a shift and closes this long after it; the check-in
# desk shows a shift for as long as its window is open, past midnight too.
CHECKIN_MARGIN = timedelta(hours=2)


class Gender(models.TextChoices):
    MEN = "men", _("آقایان")
    WOMEN = "women", _("بانوان")


class Staffing(models.TextChoices):
    """Who may fill a role: the men's section, the women's, or either."""

    MEN = "men", _("آقایان")
    WOMEN = "women", _("بانوان")
    ANY = "any", _("هر دو")


class Requirement(models.TextChoices):
    HEALTH_CARD = "health_card", _("کارت بهداشت")
    FIRST_AID = "first_aid", _("گواهی امداد و کمک‌های اولیه")
    DRIVING_LICENCE = "driving_licence", _("گواهی‌نامه رانندگی")
    URDU = "urdu", _("زبان اردو")
    ENGLISH = "english", _("زبان انگلیسی")


class Season(models.Model):
    """One Arbaeen. Its date follows the official lunar calendar (with editors'
    corrections), so it is computed, never stored."""

    hijri_year = models.PositiveSmallIntegerField(_("سال قمری"), unique=True)
    title = models.CharField(_("عنوان"), max_length=120)
    signup_opens_at = models.DateTimeField(_("آغاز ثبت‌نام"))
    signup_closes_at = models.DateTimeField(_("پایان ثبت‌نام"))
    edit_deadline = models.DateTimeField(_("مهلت ویرایش درخواست"))
    min_rest_hours = models.PositiveSmallIntegerField(
        _("کمترین استراحت میان دو نوبت (ساعت)"), default=8
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("فصل اربعین")
        verbose_name_plural = _("فصل‌های اربعین")
        ordering = ["-hijri_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signup_closes_at__gt=models.F("signup_opens_at")),
                name="mawkib_season_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def arbaeen(self) -> date:
        return from_hijri(self.hijri_year, ARBAEEN_MONTH, ARBAEEN_DAY)

    def signup_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.signup_opens_at <= now < self.signup_closes_at


class MawkibKind(models.TextChoices):
    BORDER = "border", _("گذرگاه مرزی")
    PILGRIM_HOUSE = "pilgrim_house", _("زائرسرا")


class Mawkib(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="mawkibs")
    # The same place across years (a new season copies its mawkibs with the same key), so
    # reports can set one season against the ones before.
    site_key = models.SlugField(_("شناسه محل"), max_length=60)
    name = models.CharField(_("نام"), max_length=150)
    kind = models.CharField(_("نوع"), max_length=20, choices=MawkibKind.choices)
    county = models.ForeignKey(County, verbose_name=_("شهرستان"), on_delete=models.PROTECT)
    latitude = models.DecimalField(
        _("عرض جغرافیایی"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("طول جغرافیایی"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    facilities = models.TextField(_("امکانات"), blank=True)
    has_men_section = models.BooleanField(_("بخش آقایان"), default=True)
    has_women_section = models.BooleanField(_("بخش بانوان"), default=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("مسئولان"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("موکب")
        verbose_name_plural = _("موکب‌ها")
        ordering = ["season", persian_order("name")]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "site_key"], name="mawkib_site_once_per_season"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def sections(self) -> list[str]:
        return [
            g
            for g, has in (
                (Gender.MEN, self.has_men_section),
                (Gender.WOMEN, self.has_women_section),
            )
            if has
        ]


class ServiceRole(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="roles")
    code = models.SlugField(_("کد"), max_length=40)
    name = models.CharField(_("نام"), max_length=100)
    staffing = models.CharField(
        _("بخش"), max_length=10, choices=Staffing.choices, default=Staffing.ANY
    )
    requirements = models.JSONField(_("پیش‌نیازها"), default=list, blank=True)

    class Meta:
        verbose_name = _("نقش خدمت")
        verbose_name_plural = _("نقش‌های خدمت")
        ordering = ["season", persian_order("name")]
        constraints = [
            models.UniqueConstraint(fields=["season", "code"], name="mawkib_role_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def requirement_labels(self) -> list[str]:
        return [Requirement(r).label for r in self.requirements]


class ShiftTemplate(models.Model):
    """A daily shift pattern of a mawkib; generation turns it into dated shifts."""

    mawkib = models.ForeignKey(Mawkib, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(_("نام"), max_length=60)
    starts = models.TimeField(_("آغاز"))
    hours = models.PositiveSmallIntegerField(_("مدت (ساعت)"))

    class Meta:
        verbose_name = _("الگوی نوبت")
        verbose_name_plural = _("الگوهای نوبت")
        ordering = ["mawkib", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1, hours__lte=24), name="mawkib_template_hours_1_24"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mawkib} — {self.name}"


class TemplateDemand(models.Model):
    template = models.ForeignKey(ShiftTemplate, on_delete=models.CASCADE, related_name="demands")
    role = models.ForeignKey(ServiceRole, on_delete=models.CASCADE, related_name="+")
    gender = models.CharField(_("بخش"), max_length=10, choices=Staffing.choices)
    count = models.PositiveSmallIntegerField(_("تعداد"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "role", "gender"], name="mawkib_template_demand_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} × {self.count}"


class ShiftBatch(models.Model):
    """Shifts generated together, so a coordinator can review them and undo the lot."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="batches")
    first_day = models.DateField(_("از روز"))
    last_day = models.DateField(_("تا روز"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("دسته نوبت‌ها")
        verbose_name_plural = _("دسته‌های نوبت")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        from hamafza.persian.dates import jalali_date

        return f"{self.season}: {jalali_date(self.first_day)} تا {jalali_date(self.last_day)}"


class Shift(models.Model):
    mawkib = models.ForeignKey(Mawkib, on_delete=models.CASCADE, related_name="shifts")
    batch = models.ForeignKey(
        ShiftBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="shifts"
    )
    template = models.ForeignKey(
        ShiftTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("نام"), max_length=60)
    starts_at = models.DateTimeField(_("آغاز"))
    ends_at = models.DateTimeField(_("پایان"))

    class Meta:
        verbose_name = _("نوبت کاری")
        verbose_name_plural = _("نوبت‌های کاری")
        ordering = ["starts_at", "mawkib"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="mawkib_shift_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["mawkib", "starts_at", "name"], name="mawkib_shift_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mawkib} — {self.name}"


class ShiftDemand(models.Model):
    """The places of one (shift, role, gender). Sign-ups lock this row, count again, then
    take a place: the capacity can never be exceeded."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="demands")
    role = models.ForeignKey(ServiceRole, on_delete=models.PROTECT, related_name="demands")
    gender = models.CharField(_("بخش"), max_length=10, choices=Staffing.choices)
    capacity = models.PositiveSmallIntegerField(_("ظرفیت"))

    class Meta:
        verbose_name = _("نیاز نوبت")
        verbose_name_plural = _("نیازهای نوبت")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "role", "gender"], name="mawkib_demand_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift} — {self.role} ({self.get_gender_display()})"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("در انتظار بررسی")
    APPROVED = "approved", _("پذیرفته")
    WAITLISTED = "waitlisted", _("فهرست انتظار")
    REJECTED = "rejected", _("ردشده")
    WITHDRAWN = "withdrawn", _("انصراف")


def new_tracking_code() -> str:
    # Eight digits, easy to read out on the phone; uniqueness is the database's job.
    return f"{secrets.randbelow(10**8):08d}"


class Application(models.Model):
    """A person's readiness to serve in a season: one per national code per season
    (applying again only sends the tracking code again; edits go through the tracking
    page)."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="applications")
    tracking_code = models.CharField(
        _("کد رهگیری"), max_length=12, unique=True, default=new_tracking_code
    )
    national_code = models.CharField(_("کد ملی"), max_length=10)
    first_name = models.CharField(_("نام"), max_length=100)
    last_name = models.CharField(_("نام خانوادگی"), max_length=100)
    mobile = models.CharField(_("تلفن همراه"), max_length=11)
    gender = models.CharField(_("جنسیت"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("تاریخ تولد"))
    county = models.ForeignKey(
        County, verbose_name=_("شهرستان"), null=True, blank=True, on_delete=models.SET_NULL
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("دستگاه"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mawkib_applications",
        help_text=_("خالی: از مردم"),
    )
    qualifications = models.JSONField(_("مهارت‌ها و گواهی‌ها"), default=list, blank=True)
    skills_note = models.TextField(_("توضیح مهارت‌ها"), blank=True)
    available_days = models.JSONField(_("روزهای آمادگی"), default=list)
    preferred_mawkib = models.ForeignKey(
        Mawkib,
        verbose_name=_("موکب دلخواه"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    emergency_name = models.CharField(_("نام تماس اضطراری"), max_length=100)
    emergency_mobile = models.CharField(_("تلفن تماس اضطراری"), max_length=11)
    consent_at = models.DateTimeField(_("زمان پذیرش شرایط حریم خصوصی"))
    status = models.CharField(
        _("وضعیت"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decision_reason = models.CharField(_("دلیل"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # When the personal data was erased, two years after the season (see the privacy page).
    erased_at = models.DateTimeField(null=True, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("درخواست خدمت")
        verbose_name_plural = _("درخواست‌های خدمت")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "national_code"], name="mawkib_one_application_per_person"
            ),
        ]
        indexes = [models.Index(fields=["season", "status"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)


class AgencyQuota(models.Model):
    """How many of its staff an agency's PR manager may nominate in a season."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="quotas")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    quota = models.PositiveSmallIntegerField(_("سهمیه"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["season", "organisation"], name="mawkib_quota_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.quota}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("در نوبت")
    CHECKED_IN = "checked_in", _("حاضر")
    CHECKED_OUT = "checked_out", _("پایان خدمت")
    NO_SHOW = "no_show", _("غایب")
    CANCELLED = "cancelled", _("لغوشده")


# Statuses that hold a place: a no-show or a cancellation frees it.
HOLDING = [AssignmentStatus.ASSIGNED, AssignmentStatus.CHECKED_IN, AssignmentStatus.CHECKED_OUT]


class Assignment(models.Model):
    """A volunteer's place on the roster."""

    demand = models.ForeignKey(ShiftDemand, on_delete=models.PROTECT, related_name="assignments")
    # Copied from the demand so the database can hold "one person per shift".
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("حضور در نوبت")
        verbose_name_plural = _("حضور در نوبت‌ها")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "application"],
                condition=Q(status__in=HOLDING),
                name="mawkib_one_place_per_person_per_shift",
            ),
        ]
        indexes = [models.Index(fields=["demand", "status"])]

    def __str__(self) -> str:
        return f"{self.application} — {self.shift}"


class WaitlistEntry(models.Model):
    demand = models.ForeignKey(ShiftDemand, on_delete=models.CASCADE, related_name="waitlist")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # When this person was told by SMS that a place freed up (once: then it is theirs to take).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "application"], name="mawkib_waitlist_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.demand}"


class ServiceLog(models.Model):
    """What a mawkib gave in one shift (or one day when no shift is named)."""

    mawkib = models.ForeignKey(Mawkib, on_delete=models.CASCADE, related_name="logs")
    shift = models.ForeignKey(
        Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="logs"
    )
    day = models.DateField(_("روز"))
    pilgrims_men = models.PositiveIntegerField(_("زائران آقا"), default=0)
    pilgrims_women = models.PositiveIntegerField(_("زائران خانم"), default=0)
    meals = models.PositiveIntegerField(_("وعده غذا"), default=0)
    tea_water = models.PositiveIntegerField(_("چای و آب"), default=0)
    first_aid_visits = models.PositiveIntegerField(_("خدمات امدادی"), default=0)
    lodging_nights = models.PositiveIntegerField(_("شب اقامت"), default=0)
    notes = models.TextField(_("یادداشت"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("گزارش خدمت")
        verbose_name_plural = _("گزارش‌های خدمت")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["mawkib", "shift"],
                condition=Q(shift__isnull=False),
                name="mawkib_one_log_per_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mawkib} — {self.day}"


class ApplicationOtp(models.Model):
    """A one-time code sent to the applicant's mobile, to let them see, edit or withdraw
    their application with its tracking code. Only a hash is stored."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="otps")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"OTP {self.application_id}"
