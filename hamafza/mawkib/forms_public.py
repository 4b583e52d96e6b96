"""Forms of the public, volunteer-facing pages: the readiness form (also used to edit an
application), the tracking-code and one-time-code forms. Persian, Arabic and Latin digits
are all accepted; every refusal is a Persian message beside its field."""

from django import forms
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hamafza.core.collation import persian_order
from hamafza.core.forms import JalaliDateField, MobileField, NationalCodeField, PersianDigitsMixin
from hamafza.network.models import County, Organisation, OrganisationKind
from hamafza.persian.dates import jalali_date

from .models import Gender, Requirement

CERTIFICATES = [Requirement.HEALTH_CARD, Requirement.FIRST_AID, Requirement.DRIVING_LICENCE]
LANGUAGES = [Requirement.URDU, Requirement.ENGLISH]
# Organisations a volunteer may say they come from: the hub, its agencies and the agencies'
# county offices.
AFFILIATED_KINDS = [OrganisationKind.HUB, OrganisationKind.AGENCY, OrganisationKind.COUNTY_OFFICE]


class Origin:
    PUBLIC = "public"
    AGENCY = "agency"
    CHOICES = [
        (PUBLIC, _("از مردم")),
        (AGENCY, _("از کارکنان یک دستگاه / نهاد تابعه")),
    ]


def day_choices(days) -> list[tuple[str, str]]:
    """Each day as its weekday and Jalali day and month ("جمعه ۸ مرداد"): the days of one
    season all fall in one year, and the short label fits two to a row on a phone."""
    return [
        (day.isoformat(), jalali_date(day, with_weekday=True).rsplit(" ", 1)[0]) for day in days
    ]


class ApplicationForm(PersianDigitsMixin, forms.Form):
    """The readiness form. `editing=True` is the applicant's own edit after the one-time
    code: the national code is fixed and consent was already given."""

    first_name = forms.CharField(
        label=_("نام"), max_length=100, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("نام خانوادگی"),
        max_length=100,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    national_code = NationalCodeField(
        label=_("کد ملی"), help_text=_("۱۰ رقم، با هر صفحه‌کلیدی (فارسی یا انگلیسی).")
    )
    mobile = MobileField(
        label=_("تلفن همراه"),
        help_text=_("کد رهگیری و رمزهای یک‌بار مصرف به این شماره پیامک می‌شود."),
        widget=forms.TextInput(
            {"inputmode": "tel", "dir": "ltr", "autocomplete": "tel", "placeholder": "۰۹۱۲۱۲۳۴۵۶۷"}
        ),
    )
    gender = forms.ChoiceField(label=_("جنسیت"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_date = JalaliDateField(label=_("تاریخ تولد"), help_text=_("مثلاً ۱۳۷۵/۰۶/۲۱"))
    county = forms.ModelChoiceField(
        label=_("شهرستان محل زندگی"), queryset=County.objects.none(), empty_label=_("— برگزینید —")
    )
    origin = forms.ChoiceField(
        label=_("از کجا می‌آیید؟"),
        choices=Origin.CHOICES,
        initial=Origin.PUBLIC,
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(
        label=_("دستگاه / نهاد"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— برگزینید —"),
        help_text=_("اگر از کارکنان یک دستگاه هستید، آن را برگزینید."),
    )
    certificates = forms.MultipleChoiceField(
        label=_("مهارت‌ها و گواهی‌ها"),
        choices=[(r.value, r.label) for r in CERTIFICATES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("برای آشپزی کارت بهداشت و برای امداد گواهی کمک‌های اولیه لازم است."),
    )
    languages = forms.MultipleChoiceField(
        label=_("زبان‌ها"),
        choices=[(r.value, r.label) for r in LANGUAGES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("زائران این موکب‌ها بیشتر پاکستانی‌اند."),
    )
    skills_note = forms.CharField(
        label=_("توضیح مهارت‌ها"),
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("مثلاً: آشپز رستوران، پرستار، راننده ون."),
    )
    available_days = forms.MultipleChoiceField(
        label=_("روزهایی که می‌توانید خدمت کنید"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("دست‌کم یک روز آمادگی را برگزینید.")},
    )
    preferred_mawkib = forms.ModelChoiceField(
        label=_("موکب دلخواه"),
        queryset=None,
        required=False,
        empty_label=_("فرقی نمی‌کند"),
    )
    emergency_name = forms.CharField(label=_("نام تماس اضطراری"), max_length=100)
    emergency_mobile = MobileField(
        label=_("تلفن همراه تماس اضطراری"),
        help_text=_("یکی از خانواده یا نزدیکان؛ نه شماره خودتان."),
        widget=forms.TextInput({"inputmode": "tel", "dir": "ltr", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        error_messages={"required": _("برای ثبت درخواست باید شرایط حریم خصوصی را بپذیرید.")},
    )

    def __init__(self, *args, season, days, editing: bool = False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.season = season
        self.editing = editing
        self.fields["county"].queryset = County.objects.order_by(persian_order("name"))
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=AFFILIATED_KINDS, is_active=True
        ).order_by(persian_order("name"))
        self.fields["preferred_mawkib"].queryset = season.mawkibs.order_by(persian_order("name"))
        self.fields["available_days"].choices = day_choices(days)
        self.fields["consent"].label = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a> {}',
            _("شرایط"),
            reverse_lazy("mawkib:privacy"),
            _("حریم خصوصی"),
            _("را خواندم و می‌پذیرم."),
        )
        if editing:
            del self.fields["national_code"]
            del self.fields["consent"]

    def clean(self):
        data = super().clean()
        if data.get("origin") == Origin.AGENCY and not data.get("organisation"):
            self.add_error("organisation", _("دستگاه یا نهادی را که از آن می‌آیید برگزینید."))
        mobile, emergency = data.get("mobile"), data.get("emergency_mobile")
        if mobile and emergency and mobile == emergency:
            self.add_error(
                "emergency_mobile", _("شماره تماس اضطراری باید شماره کس دیگری جز خودتان باشد.")
            )
        return data

    def service_values(self) -> dict:
        """What the application services take (their APPLICANT_FIELDS)."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "mobile": data["mobile"],
            "gender": data["gender"],
            "birth_date": data["birth_date"],
            "county": data["county"],
            "organisation": data["organisation"] if data["origin"] == Origin.AGENCY else None,
            "qualifications": [*data["certificates"], *data["languages"]],
            "skills_note": data["skills_note"].strip(),
            "available_days": sorted(data["available_days"]),
            "preferred_mawkib": data["preferred_mawkib"],
            "emergency_name": data["emergency_name"].strip(),
            "emergency_mobile": data["emergency_mobile"],
        }

    @staticmethod
    def initial_from(application) -> dict:
        """The form's starting values for an applicant editing their application."""
        qualifications = application.qualifications or []
        return {
            "first_name": application.first_name,
            "last_name": application.last_name,
            "mobile": application.mobile,
            "gender": application.gender,
            "birth_date": application.birth_date,
            "county": application.county_id,
            "origin": Origin.AGENCY if application.organisation_id else Origin.PUBLIC,
            "organisation": application.organisation_id,
            "certificates": [q for q in qualifications if q in CERTIFICATES],
            "languages": [q for q in qualifications if q in LANGUAGES],
            "skills_note": application.skills_note,
            "available_days": application.available_days,
            "preferred_mawkib": application.preferred_mawkib_id,
            "emergency_name": application.emergency_name,
            "emergency_mobile": application.emergency_mobile,
        }


class TrackingCodeForm(PersianDigitsMixin, forms.Form):
    tracking_code = forms.CharField(
        label=_("کد رهگیری"),
        max_length=20,
        help_text=_("کد ۸ رقمی که پس از ثبت درخواست دیدید و پیامک شد."),
        widget=forms.TextInput(
            {"inputmode": "numeric", "dir": "ltr", "autocomplete": "off", "autofocus": True}
        ),
    )

    def clean_tracking_code(self) -> str:
        code = "".join(self.cleaned_data["tracking_code"].split()).replace("-", "")
        if not (code.isascii() and code.isdigit() and len(code) == 8):
            raise forms.ValidationError(_("کد رهگیری ۸ رقم است؛ آن را دوباره بنویسید."))
        return code


class OtpForm(PersianDigitsMixin, forms.Form):
    code = forms.CharField(
        label=_("رمز یک‌بار مصرف"),
        max_length=12,
        help_text=_("رمز ۶ رقمی که به تلفن همراه ثبت‌شده پیامک شد؛ ۱۰ دقیقه اعتبار دارد."),
        widget=forms.TextInput(
            {
                "inputmode": "numeric",
                "dir": "ltr",
                "autocomplete": "one-time-code",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("رمز یک‌بار مصرف ۶ رقم است."))
        return code


class NationalCodeForm(PersianDigitsMixin, forms.Form):
    national_code = NationalCodeField(label=_("کد ملی"))
