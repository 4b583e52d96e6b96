"""Forms of the coordinators' pages. They read what is typed (any digits, Jalali dates);
the rules themselves live in the services."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hamafza.core.collation import persian_order
from hamafza.core.forms import (
    JalaliDateField,
    JalaliDateTimeField,
    MobileField,
    NationalCodeField,
    PersianDigitsMixin,
    model_field,
)
from hamafza.network.models import Organisation
from hamafza.persian.dates import jalali_date, jalali_datetime
from hamafza.persian.digits import to_persian_digits

from .models import (
    ApplicationStatus,
    Gender,
    Mawkib,
    MawkibKind,
    Requirement,
    ServiceRole,
    Staffing,
)
from .services.day import LOG_COUNTS

User = get_user_model()


def _required_hint(field: forms.Field) -> forms.Field:
    field.error_messages["required"] = _("این بخش را پر کنید.")
    return field


class SeasonForm(PersianDigitsMixin, forms.Form):
    hijri_year = forms.IntegerField(
        label=_("سال قمری"), min_value=1400, max_value=1500, help_text=_("مثلاً ۱۴۴۸")
    )
    title = forms.CharField(
        label=_("عنوان"), max_length=120, required=False, help_text=_("خالی: «اربعین» و سال")
    )
    signup_opens_at = JalaliDateTimeField(label=_("آغاز ثبت‌نام"))
    signup_closes_at = JalaliDateTimeField(label=_("پایان ثبت‌نام"))
    edit_deadline = JalaliDateTimeField(
        label=_("مهلت ویرایش درخواست"),
        help_text=_("تا این زمان متقاضی می‌تواند درخواستش را ویرایش کند."),
    )
    min_rest_hours = forms.IntegerField(
        label=_("کمترین استراحت میان دو نوبت (ساعت)"), min_value=0, max_value=48, initial=8
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["hijri_year"]


class SeasonCopyForm(forms.Form):
    signup_opens_at = JalaliDateTimeField(label=_("آغاز ثبت‌نام"))
    signup_closes_at = JalaliDateTimeField(label=_("پایان ثبت‌نام"))
    edit_deadline = JalaliDateTimeField(label=_("مهلت ویرایش درخواست"))


class ManagersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class MawkibForm(PersianDigitsMixin, forms.Form):
    """A mawkib's fields, for adding one or (with `initial=` from it) editing it; the
    services check and save (a duplicate site key is refused there, in Persian)."""

    name = model_field(Mawkib, "name")
    site_key = model_field(
        Mawkib,
        "site_key",
        help_text=_("حروف لاتین و خط تیره، مثلاً mirjaveh؛ در فصل‌های بعد همین می‌ماند."),
        widget=forms.TextInput({"dir": "ltr"}),
    )
    kind = model_field(Mawkib, "kind")
    county = model_field(Mawkib, "county")
    latitude = model_field(
        Mawkib,
        "latitude",
        help_text=_("مثلاً ۲۹٫۰۱۹۲"),
        widget=forms.TextInput({"dir": "ltr", "inputmode": "decimal"}),
    )
    longitude = model_field(
        Mawkib, "longitude", widget=forms.TextInput({"dir": "ltr", "inputmode": "decimal"})
    )
    facilities = model_field(Mawkib, "facilities", widget=forms.Textarea({"rows": 3}))
    has_men_section = model_field(Mawkib, "has_men_section")
    has_women_section = model_field(Mawkib, "has_women_section")
    managers = ManagersField(
        label=_("مسئولان موکب"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("مسئولان می‌توانند در موکب خود حضور خادمان را ثبت کنند."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].queryset = User.objects.filter(is_active=True).order_by(
            persian_order("last_name"), persian_order("first_name")
        )
        self.fields["county"].queryset = self.fields["county"].queryset.select_related("province")
        self.fields["kind"].choices = MawkibKind.choices

    def full_clean(self):
        # The Persian decimal separator (٫) as well as the point.
        if self.is_bound and hasattr(self.data, "copy"):
            data = self.data.copy()
            for key in ("latitude", "longitude"):
                if key in data:
                    data[key] = data[key].replace("٫", ".").replace("،", ".")
            self.data = data
        return super().full_clean()


class RoleForm(forms.Form):
    name = forms.CharField(label=_("نام نقش"), max_length=100)
    code = forms.SlugField(
        label=_("کد"),
        max_length=40,
        help_text=_("حروف لاتین، مثلاً cooking"),
        widget=forms.TextInput({"dir": "ltr"}),
    )
    staffing = forms.ChoiceField(label=_("بخش"), choices=Staffing.choices, initial=Staffing.ANY)
    requirements = forms.MultipleChoiceField(
        label=_("پیش‌نیازها"),
        choices=Requirement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TemplateForm(PersianDigitsMixin, forms.Form):
    name = forms.CharField(label=_("نام نوبت"), max_length=60, help_text=_("مثلاً صبح"))
    starts = forms.TimeField(
        label=_("ساعت آغاز"),
        widget=forms.TextInput({"placeholder": "۰۸:۰۰", "dir": "ltr", "inputmode": "numeric"}),
        error_messages={"invalid": _("ساعت را به شکل ۰۸:۰۰ بنویسید.")},
    )
    hours = forms.IntegerField(label=_("مدت (ساعت)"), min_value=1, max_value=24, initial=6)


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TemplateDemandForm(PersianDigitsMixin, forms.Form):
    role = RoleChoiceField(label=_("نقش"), queryset=ServiceRole.objects.none())
    gender = forms.ChoiceField(label=_("بخش"), choices=Staffing.choices, initial=Staffing.ANY)
    count = forms.IntegerField(
        label=_("تعداد"), min_value=0, max_value=500, help_text=_("۰: برداشتن این نیاز")
    )

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = season.roles.all()


class QuotaForm(PersianDigitsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("دستگاه"), queryset=None)
    quota = forms.IntegerField(label=_("سهمیه (نفر)"), min_value=0, max_value=5000)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class GenerateForm(forms.Form):
    first_day = JalaliDateField(label=_("از روز"))
    last_day = JalaliDateField(label=_("تا روز"))


class CapacityForm(PersianDigitsMixin, forms.Form):
    capacity = forms.IntegerField(label=_("ظرفیت"), min_value=0, max_value=500)


SOURCE_CHOICES = [("", _("همه")), ("public", _("از مردم")), ("agency", _("از دستگاه‌ها"))]


class ApplicationFilterForm(PersianDigitsMixin, forms.Form):
    q = forms.CharField(
        label=_("نام یا کد رهگیری"),
        required=False,
        widget=forms.TextInput({"type": "search", "placeholder": _("نام، کد رهگیری یا کد ملی")}),
    )
    status = forms.ChoiceField(
        label=_("وضعیت"), required=False, choices=[("", _("همه")), *ApplicationStatus.choices]
    )
    gender = forms.ChoiceField(
        label=_("بخش"), required=False, choices=[("", _("همه")), *Gender.choices]
    )
    county = forms.ModelChoiceField(
        label=_("شهرستان"), required=False, queryset=None, empty_label=_("همه")
    )
    source = forms.ChoiceField(label=_("از"), required=False, choices=SOURCE_CHOICES)
    organisation = forms.ModelChoiceField(
        label=_("دستگاه"), required=False, queryset=None, empty_label=_("همه")
    )
    qualification = forms.ChoiceField(
        label=_("مهارت"), required=False, choices=[("", _("همه")), *Requirement.choices]
    )

    def __init__(self, *args, counties, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        self.fields["organisation"].queryset = organisations

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "gender": data["gender"],
            "county": data["county"].pk if data["county"] else None,
            "source": data["source"],
            "organisation": data["organisation"].pk if data["organisation"] else None,
            "qualification": data["qualification"],
            "search": data["q"],
        }


DECISION_CHOICES = [
    (ApplicationStatus.APPROVED, _("پذیرش")),
    (ApplicationStatus.WAITLISTED, _("فهرست انتظار")),
    (ApplicationStatus.REJECTED, _("رد")),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("تصمیم"), choices=DECISION_CHOICES)
    reason = forms.CharField(
        label=_("دلیل"),
        max_length=300,
        required=False,
        help_text=_("برای رد درخواست لازم است و به متقاضی نشان داده می‌شود."),
        widget=forms.Textarea({"rows": 2}),
    )


class BulkDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("تصمیم"),
        choices=[c for c in DECISION_CHOICES if c[0] != ApplicationStatus.REJECTED],
    )
    selected = forms.TypedMultipleChoiceField(
        label=_("برگزیده‌ها"),
        coerce=int,
        choices=[],
        error_messages={"required": _("دست‌کم یک درخواست را برگزینید.")},
    )

    def __init__(self, *args, ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(pk, pk) for pk in ids]


class DemandChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _(
            "%(mawkib)s — %(when)s (%(shift)s) — %(role)s، %(section)s — %(left)s جای خالی"
        ) % {
            "mawkib": obj.shift.mawkib,
            "when": jalali_datetime(obj.shift.starts_at),
            "shift": obj.shift.name,
            "role": obj.role.name,
            "section": obj.get_gender_display(),
            "left": to_persian_digits(obj.capacity - obj.taken),
        }


class AssignForm(forms.Form):
    demand = DemandChoiceField(
        label=_("نوبت و نقش"), queryset=None, empty_label=_("یک جای خالی را برگزینید…")
    )

    def __init__(self, *args, demands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demand"].queryset = demands


def season_days(season, shift_days) -> list[tuple[str, str]]:
    """The days a volunteer may offer: the season's shift days, or the fortnight before
    Arbaeen and two days after it while no shift is generated yet."""
    days = sorted(set(shift_days))
    if not days:
        arbaeen = season.arbaeen
        days = [arbaeen + timedelta(days=i) for i in range(-14, 3)]
    return [(d.isoformat(), jalali_date(d, with_weekday=True)) for d in days]


class NominationForm(PersianDigitsMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("دستگاه"), queryset=None, empty_label=None)
    national_code = NationalCodeField(label=_("کد ملی"))
    first_name = forms.CharField(label=_("نام"), max_length=100)
    last_name = forms.CharField(label=_("نام خانوادگی"), max_length=100)
    mobile = MobileField(
        label=_("تلفن همراه"),
        widget=forms.TextInput({"inputmode": "tel", "dir": "ltr", "placeholder": "۰۹۱۲۱۲۳۴۵۶۷"}),
    )
    gender = forms.ChoiceField(label=_("جنسیت"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_date = JalaliDateField(label=_("تاریخ تولد"))
    county = forms.ModelChoiceField(label=_("شهرستان"), queryset=None, required=False)
    qualifications = forms.MultipleChoiceField(
        label=_("مهارت‌ها و گواهی‌ها"),
        choices=Requirement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills_note = forms.CharField(
        label=_("توضیح مهارت‌ها"), required=False, widget=forms.Textarea({"rows": 2})
    )
    available_days = forms.MultipleChoiceField(
        label=_("روزهای آمادگی"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    preferred_mawkib = forms.ModelChoiceField(
        label=_("موکب دلخواه"), queryset=None, required=False, empty_label=_("فرقی نمی‌کند")
    )
    emergency_name = forms.CharField(label=_("نام تماس اضطراری"), max_length=100)
    emergency_mobile = MobileField(
        label=_("تلفن تماس اضطراری"),
        widget=forms.TextInput({"inputmode": "tel", "dir": "ltr"}),
    )

    def __init__(self, *args, organisations, season, counties, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).in_network_order()
        self._only_organisation = organisations[0] if len(organisations) == 1 else None
        if self._only_organisation:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].required = False
            self.initial.setdefault("organisation", self._only_organisation.pk)
        self.fields["county"].queryset = counties
        self.fields["preferred_mawkib"].queryset = season.mawkibs.all()
        self.fields["available_days"].choices = days
        self.fields["available_days"].error_messages["required"] = _(
            "دست‌کم یک روز آمادگی را برگزینید."
        )
        for field in self.fields.values():
            _required_hint(field)

    def clean_organisation(self):
        return self.cleaned_data.get("organisation") or self._only_organisation


class CheckinForm(PersianDigitsMixin, forms.Form):
    code = forms.CharField(
        label=_("کد رهگیری خادم"),
        max_length=20,
        widget=forms.TextInput(
            {
                "inputmode": "numeric",
                "dir": "ltr",
                "autocomplete": "off",
                "autofocus": True,
                "enterkeyhint": "search",
                "placeholder": "۱۲۳۴۵۶۷۸",
            }
        ),
        help_text=_("کد را بنویسید یا با صفحه‌کلید بارکدخوان گوشی از کارت خادم بخوانید."),
    )

    def clean_code(self):
        # A scanner may hand over the whole QR link; the code is its last run of digits.
        text = self.cleaned_data["code"].strip()
        if "code=" in text:
            text = text.split("code=")[-1].split("&")[0]
        return "".join(ch for ch in text if ch.isdigit())


# A count no day of service reaches; also the database's integer range.
MAX_COUNT = 1_000_000


class ServiceLogForm(PersianDigitsMixin, forms.Form):
    pilgrims_men = forms.IntegerField(
        required=False, label=_("زائران آقا"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    pilgrims_women = forms.IntegerField(
        required=False, label=_("زائران خانم"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    meals = forms.IntegerField(
        required=False, label=_("وعده غذا"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    tea_water = forms.IntegerField(
        required=False, label=_("چای و آب"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    first_aid_visits = forms.IntegerField(
        required=False, label=_("خدمات امدادی"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    lodging_nights = forms.IntegerField(
        required=False, label=_("شب اقامت"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    notes = forms.CharField(label=_("یادداشت"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in LOG_COUNTS:
            self.fields[name].error_messages["invalid"] = _("یک عدد بنویسید.")
            self.fields[name].help_text = ""
            self.fields[name].widget.attrs["placeholder"] = "۰"


class CoverageFilterForm(forms.Form):
    """One mawkib, one day: the board of a whole season is long on a phone."""

    mawkib = forms.ModelChoiceField(
        label=_("موکب"), queryset=Mawkib.objects.none(), required=False, empty_label=_("همه موکب‌ها")
    )
    day = JalaliDateField(label=_("روز"), required=False)

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mawkib"].queryset = season.mawkibs.order_by(persian_order("name"))
