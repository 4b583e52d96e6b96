"""Form fields that read what Iranians type (Jalali dates, any digit script), and the one
way a view shows a service's refusal beside the form's fields."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.persian import dates
from hamafza.persian.collation import sort_key
from hamafza.persian.digits import to_latin_digits, to_persian_digits
from hamafza.persian.validators import ValidationFailed, normalize_mobile, normalize_national_code

from .audit import action_labels
from .typed import clean_line


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
    """A date box and a time box, each with a label of its own («تاریخ», «ساعت»), inside
    the fieldset that core/_field.html gives every multi-widget, its legend the field's
    label (which therefore points at no single box)."""

    template_name = "core/widgets/jalali_datetime.html"

    def __init__(self, attrs=None):
        time_attrs = {"placeholder": "۱۰:۳۰", "inputmode": "numeric", "dir": "ltr"}
        super().__init__([JalaliDateInput(attrs), forms.TextInput(time_attrs)], attrs)

    def id_for_label(self, id_):
        return ""

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


# Fields that hold numbers, codes and dates: Persian and Arabic digits typed into them are
# read as Latin ones. Anything else (names, titles, notes) keeps the digits as typed.
_NUMBER_FIELDS = (
    forms.IntegerField,
    forms.DecimalField,
    forms.FloatField,
    forms.DateField,
    forms.TimeField,
    forms.DateTimeField,
    JalaliDateTimeField,
)
_NUMBER_INPUTMODES = frozenset(("numeric", "decimal", "tel"))


class PersianDigitsMixin:
    """Reads what Iranians type. While validating:

    - fields holding numbers, codes and dates (number, date and time fields, mobile
      numbers and national codes, boxes that bring up the digit keyboard, and the names in `digit_fields`)
      read Persian and Arabic digits as Latin ones, so they accept whatever keyboard the
      person has; integer fields also ignore thousands separators (۱۲٬۳۴۵). Free text
      keeps the digits the person typed («۵ سال سابقه» stays so);
    - one-line text boxes lose bidi control characters, and names (`name`, `…_name`)
      fold ي/ك to ی/ک (`core.typed`, which also guards every save).

    A form shown again after an error keeps everything as it was typed.

    Browsers refuse Persian digits in <input type="number">, so number boxes become text
    boxes that still bring up the phone's digit keyboard."""

    digit_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.NumberInput):
                attrs = {
                    k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")
                }
                field.widget = forms.TextInput({**attrs, "inputmode": "numeric", "dir": "ltr"})

    def _holds_digits(self, name: str) -> bool:
        field = self.fields.get(name)
        if name in self.digit_fields:
            return True
        if field is None:
            return False
        if isinstance(field, (*_NUMBER_FIELDS, _CodeField)):
            return True
        return field.widget.attrs.get("inputmode") in _NUMBER_INPUTMODES

    def _is_line(self, name: str) -> bool:
        field = self.fields.get(name)
        return (
            isinstance(field, forms.CharField)
            and not isinstance(field.widget, forms.Textarea)
            and not isinstance(field.widget, forms.PasswordInput)
        )

    def _read(self, name: str, value):
        if not isinstance(value, str):
            return value
        if self._is_line(name):
            value = clean_line(name, value)
        if not self._holds_digits(name):
            return value
        value = to_latin_digits(value)
        if isinstance(self.fields.get(name), forms.IntegerField):
            value = value.replace("٬", "").replace(",", "").strip()
        return value

    def full_clean(self):
        if not (self.is_bound and hasattr(self.data, "copy")):
            return super().full_clean()
        typed, data = self.data, self.data.copy()
        for key in data:
            name = key.removeprefix(f"{self.prefix}-") if self.prefix else key
            base = name.rsplit("_", 1)[0] if name not in self.fields else name  # multi-widgets
            values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
            cleaned = [self._read(base, v) for v in values]
            if hasattr(data, "setlist"):
                data.setlist(key, cleaned)
            else:
                data[key] = cleaned[0]
        self.data = data
        try:
            return super().full_clean()
        finally:
            self.data = typed  # shown again as typed


class _CodeField(forms.CharField):
    """A number people write in many ways: typed in any digits (Persian, Arabic, Latin),
    with spaces or dashes, cleaned by `normalize` (hamafza.persian.validators), whose
    Persian message is the error beside the box."""

    default_widget_attrs: dict = {}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(self.default_widget_attrs))
        super().__init__(**kwargs)

    @staticmethod
    def normalize(value: str) -> str:
        raise NotImplementedError

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        try:
            return self.normalize(value)
        except ValidationFailed as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class MobileField(_CodeField):
    """An Iranian mobile number in any common written form, cleaned to 09xxxxxxxxx."""

    default_widget_attrs = {"dir": "ltr", "inputmode": "tel", "autocomplete": "tel"}
    normalize = staticmethod(normalize_mobile)


class NationalCodeField(_CodeField):
    """An Iranian national code (کد ملی), cleaned to its ten digits (dropped leading
    zeros given back) and checked against its check digit."""

    default_widget_attrs = {"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
    normalize = staticmethod(normalize_national_code)


def model_field(model, name: str, **overrides) -> forms.Field:
    """The form field a ModelForm would make for `model.name` (its label, length, choices,
    whether it is required), for the plain forms of pages whose service checks and saves:
    such a form reads and validates what was typed and never touches a model instance."""
    return model._meta.get_field(name).formfield(**overrides)


def initial_from(instance, form_class: type[forms.BaseForm]) -> dict:
    """An object's stored values for the `initial` of an edit form, one per field of the
    form (the form's `changed_data` then names what the person changed)."""
    return forms.model_to_dict(instance, fields=list(form_class.base_fields))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("نام توکن"), max_length=100, help_text=_("مثلاً: ربات گزارش‌گیری"))


def audit_action_choices() -> list:
    """The registered audit actions by their Persian names, grouped by the app that writes
    them, each group and each list in Persian order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in action_labels().items():
        app = code.split(".", 1)[0]
        try:
            group = str(apps.get_app_config(app).verbose_name)
        except LookupError:
            group = app
        if group not in groups:  # the whole app first: its value is the codes' prefix
            groups[group] = [(f"{app}.", _("همه کنش‌های «%(app)s»") % {"app": group})]
        groups[group].append((code, label))
    ordered = sorted(groups.items(), key=lambda item: sort_key(item[0]))
    return [("", _("همه کنش‌ها")), *ordered]


class AuditFilterForm(PersianDigitsMixin, forms.Form):
    action = forms.ChoiceField(label=_("کنش"), required=False, choices=audit_action_choices)
    actor = forms.CharField(label=_("نام کاربری"), required=False)
    since = JalaliDateField(label=_("از تاریخ"), required=False)
    until = JalaliDateField(label=_("تا تاریخ"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("«تا تاریخ» پیش از «از تاریخ» است."))
        return data


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names (or above the form),
    keeping everything the person typed."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


@contextmanager
def service_errors(target: forms.BaseForm | HttpRequest) -> Iterator[None]:
    """The one shape of a view that sends a form's values to a service: the block calls
    the service and then does what follows its success (a message, a redirect); a
    ValidationError from the service ends the block and goes beside the form's fields
    (`target` a form) or into a message at the top of the next page (`target` the
    request), and the view goes on after the block to show the page again.

        with service_errors(form):
            org = services.organisation_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("…"))
            return redirect("network:organisation_detail", pk=org.pk)
        return render(request, "network/organisation_form.html", {"form": form})
    """
    try:
        yield
    except ValidationError as error:
        if isinstance(target, forms.BaseForm):
            add_service_errors(target, error)
        else:
            messages.error(target, " ".join(error.messages))
