"""Form fields that read what Iranians type: Jalali dates and any digit script."""

from datetime import date, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.persian import dates
from hamafza.persian.digits import to_latin_digits, to_persian_digits


class JalaliDateInput(forms.TextInput):
    """A text box for a Jalali date; static/core/jalali.js shows the date in words while
    the person types. Persian, Arabic and Latin digits are all accepted."""

    template_name = "core/widgets/jalali_date.html"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "۱۴۰۵/۰۵/۱۷",
            "inputmode": "numeric",
            "autocomplete": "off",
            "dir": "ltr",
            "data-jalali-date": "",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return dates.jalali_short(value)
        # What the person typed, shown back after an error: in Persian digits, as every
        # date on the page is (the digits mixin may have turned it Latin).
        return to_persian_digits(value) if isinstance(value, str) else value


class JalaliDateField(forms.DateField):
    widget = JalaliDateInput
    default_error_messages = {"invalid": _("تاریخ را به شکل ۱۴۰۵/۰۵/۱۷ بنویسید.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return dates.tehran_date(value)
        if isinstance(value, date):
            return value
        try:
            return dates.parse_jalali_date(str(value))
        except dates.InvalidDate as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class JalaliDateTimeWidget(forms.MultiWidget):
    template_name = "core/widgets/jalali_datetime.html"

    def __init__(self, attrs=None):
        time_attrs = {"placeholder": "۱۰:۳۰", "inputmode": "numeric", "dir": "ltr"}
        super().__init__([JalaliDateInput(attrs), forms.TextInput(time_attrs)], attrs)

    def decompress(self, value):
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            return [local.date(), local.strftime("%H:%M")]
        return [None, None]


class JalaliDateTimeField(forms.MultiValueField):
    """A Jalali date and a Tehran wall-clock time, giving an aware datetime."""

    widget = JalaliDateTimeWidget
    default_error_messages = {"invalid": _("تاریخ و ساعت را کامل بنویسید.")}

    def __init__(self, **kwargs):
        fields = (JalaliDateField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=True, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        day, time_text = data_list
        try:
            return dates.parse_jalali_datetime(dates.jalali_short(day), to_latin_digits(time_text))
        except dates.InvalidDate as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class PersianDigitsMixin:
    """Turns Persian and Arabic digits in every submitted text field into Latin ones before
    validation, so integer fields and codes accept whatever keyboard the person has.

    Browsers refuse Persian digits in <input type="number">, so number boxes become text
    boxes that still bring up the phone's digit keyboard."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.NumberInput):
                attrs = {
                    k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")
                }
                field.widget = forms.TextInput({**attrs, "inputmode": "numeric", "dir": "ltr"})

    def full_clean(self):
        if self.is_bound and hasattr(self.data, "copy"):
            data = self.data.copy()
            for key in data:
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                cleaned = [to_latin_digits(v) if isinstance(v, str) else v for v in values]
                if hasattr(data, "setlist"):
                    data.setlist(key, cleaned)
                else:
                    data[key] = cleaned[0]
            self.data = data
        return super().full_clean()


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("نام توکن"), max_length=100, help_text=_("مثلاً: ربات گزارش‌گیری"))


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("کنش"), required=False, help_text=_("مثلاً network.channel"))
    actor = forms.CharField(label=_("نام کاربری"), required=False)
    since = JalaliDateField(label=_("از تاریخ"), required=False)
    until = JalaliDateField(label=_("تا تاریخ"), required=False)


def add_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError beside the fields it names (or above the form),
    keeping everything the person typed."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
