"""Jalali date inputs read whatever digits the person's keyboard types; a service's
refusal goes beside the fields it names."""

import datetime
from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError

from hamafza.core.forms import (
    JalaliDateField,
    JalaliDateTimeField,
    MobileField,
    NationalCodeField,
    PersianDigitsMixin,
    service_errors,
)


@pytest.mark.parametrize(
    "typed",
    ["۱۴۰۵/۰۵/۱۷", "١٤٠٥/٠٥/١٧", "1405/05/17", "1405-5-17", " ۱۴۰۵/۵/۱۷ "],
)
def test_jalali_date_field_reads_persian_arabic_and_latin_digits(typed):
    assert JalaliDateField().clean(typed) == date(2026, 8, 8)


def test_jalali_date_field_accepts_30_esfand_in_a_leap_year():
    # 1403 is a leap year in the Solar Hijri calendar.
    assert JalaliDateField().clean("۱۴۰۳/۱۲/۳۰") == date(2025, 3, 20)


def test_jalali_date_field_rejects_30_esfand_1404_in_persian():
    field = JalaliDateField()

    with pytest.raises(ValidationError) as caught:
        field.clean("۱۴۰۴/۱۲/۳۰")

    (message,) = caught.value.messages
    assert "اسفند" in message
    assert "وجود ندارد" in message


def test_jalali_date_field_explains_unreadable_text_in_persian():
    with pytest.raises(ValidationError) as caught:
        JalaliDateField().clean("فردا")

    (message,) = caught.value.messages
    assert "۱۴۰۵/۰۵/۱۷" in message


def test_jalali_date_field_requires_a_value_unless_optional():
    with pytest.raises(ValidationError) as caught:
        JalaliDateField().clean("")
    assert caught.value.messages
    assert JalaliDateField(required=False).clean("") is None


def test_jalali_date_input_shows_a_stored_date_in_persian_digits():
    html = JalaliDateField().widget.render("taken_on", date(2026, 8, 8))

    assert 'value="۱۴۰۵/۰۵/۱۷"' in html


def test_persian_digits_mixin_lets_integer_fields_take_persian_digits():
    class CountForm(PersianDigitsMixin, forms.Form):
        members = forms.IntegerField()

    form = CountForm({"members": "۱۲۳۴"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["members"] == 1234


class MeetingForm(forms.Form):
    starts_at = JalaliDateTimeField(label="زمان")


def test_jalali_datetime_field_gives_an_aware_tehran_moment_from_persian_digits():
    form = MeetingForm({"starts_at_0": "۱۴۰۵/۰۵/۱۷", "starts_at_1": "۱۰:۳۰"})
    assert form.is_valid(), form.errors
    moment = form.cleaned_data["starts_at"]
    # 10:30 in Tehran (UTC+3:30) is 07:00 UTC on 8 August 2026.
    assert moment.astimezone(datetime.UTC) == datetime.datetime(
        2026, 8, 8, 7, 0, tzinfo=datetime.UTC
    )


def test_jalali_datetime_field_refuses_an_impossible_hour_in_persian():
    form = MeetingForm({"starts_at_0": "۱۴۰۵/۰۵/۱۷", "starts_at_1": "۲۵:۰۰"})
    assert not form.is_valid()
    assert "وجود ندارد" in " ".join(form.errors["starts_at"])


def test_jalali_datetime_widget_shows_a_stored_moment_in_tehran_time():
    stored = datetime.datetime(2026, 8, 8, 7, 0, tzinfo=datetime.UTC)
    html = str(MeetingForm(initial={"starts_at": stored})["starts_at"])
    assert "۱۴۰۵/۰۵/۱۷" in html
    assert 'value="10:30"' in html


# --- service_errors: a service's refusal beside the fields, or in a message -------------


class _NameForm(forms.Form):
    name = forms.CharField()
    notes = forms.CharField(required=False)


def _refuse(error):
    raise error


def test_service_errors_puts_a_service_refusal_beside_the_field_it_names():
    form = _NameForm({"name": "الف", "notes": "ب"})
    assert form.is_valid()
    reached = []

    with service_errors(form):
        _refuse(ValidationError({"name": "این نام پیش‌تر هست.", "code": "خطای دیگر"}))
        reached.append("after the service")

    assert reached == []  # what follows success is skipped
    assert form.errors["name"] == ["این نام پیش‌تر هست."]
    assert form.non_field_errors() == ["خطای دیگر"]  # a name the form has not: above it
    assert form["notes"].value() == "ب"  # everything typed stays


def test_service_errors_puts_a_refusal_without_a_field_above_the_form():
    form = _NameForm({"name": "الف"})
    assert form.is_valid()

    with service_errors(form):
        _refuse(ValidationError("فصل بسته است."))

    assert form.non_field_errors() == ["فصل بسته است."]
    assert not form.is_valid()


def test_service_errors_lets_success_run_and_other_errors_through():
    form = _NameForm({"name": "الف"})
    assert form.is_valid()
    with service_errors(form):
        done = True
    assert done and form.is_valid()

    with pytest.raises(ZeroDivisionError), service_errors(form):
        1 / 0  # noqa: B018


def test_service_errors_for_a_request_turns_the_refusal_into_one_message(rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)

    with service_errors(request):
        _refuse(ValidationError(["نخست اینکه", "دوم اینکه"]))

    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("error", "نخست اینکه دوم اینکه")
    ]


# --- core/_field.html: the one field template of every form -----------------------------


class _PersonForm(forms.Form):
    name = forms.CharField(label="نام", help_text="همان که در کارت ملی است")
    gender = forms.ChoiceField(
        label="جنسیت", choices=[("f", "زن"), ("m", "مرد")], widget=forms.RadioSelect
    )
    moment = JalaliDateTimeField(label="زمان")
    agree = forms.BooleanField(label="می‌پذیرم", required=False)

    def clean_name(self):
        raise ValidationError(["کوتاه‌تر از 3 حرف است.", "نام دیگری بنویسید."])


def _render(form, **context):
    from django.template.loader import render_to_string

    return render_to_string("core/_form.html", {"form": form, **context})


def test_a_box_points_at_its_help_and_its_one_error_and_says_it_is_wrong():
    html = _render(_PersonForm({"name": "ab", "gender": "f"}))

    assert (
        '<input type="text" name="name" value="ab" required aria-invalid="true"'
        ' aria-describedby="id_name_helptext id_name_error" id="id_name">' in html
    )
    # Both messages in one paragraph the box points at, in Persian digits.
    assert html.count('id="id_name_error"') == 1
    assert (
        '<p class="error" id="id_name_error">کوتاه‌تر از ۳ حرف است. نام دیگری بنویسید.</p>' in html
    )


def test_a_group_of_choices_and_a_date_with_a_time_are_fieldsets_named_by_a_legend():
    html = _render(_PersonForm({"name": "ab"}))

    assert '<fieldset class="field choices has-error required" id="field-gender"' in html
    assert 'aria-describedby="id_gender_error"><legend>جنسیت</legend>' in html.replace("\n  ", "")
    assert '<fieldset class="field choices has-error required" id="field-moment"' in html
    assert "<legend>زمان</legend>" in html
    assert 'aria-invalid="true" id="id_gender_0"' in html  # each radio is marked wrong


def test_a_checkbox_comes_before_its_label():
    html = _render(_PersonForm())

    assert (
        '<input type="checkbox" name="agree" id="id_agree"> <label for="id_agree">می‌پذیرم</label>'
        in html
    )


def test_a_page_can_keep_the_errors_back_and_two_forms_keep_distinct_boxes():
    quiet = _render(_PersonForm({"name": "ab"}), show_errors=False)
    assert "has-error" not in quiet and 'class="error"' not in quiet

    html = _render(_PersonForm(auto_id="id_t7_%s"))
    assert 'id="field-t7_name"' in html and 'id="field-name"' not in html


# --- MobileField and NationalCodeField --------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["۰۹۱۲ ۱۲۳ ۴۵۶۷", "٠٩١٢-١٢٣-٤٥٦٧", "+98 912 123 4567", "9121234567"]
)
def test_a_mobile_is_read_in_any_digits_and_grouping(typed):
    assert MobileField().clean(typed) == "09121234567"


@pytest.mark.parametrize("typed", ["۰۰۸۴۵۷۵۹۴۸", "٠٠٨٤٥٧٥٩٤٨", "008-457594-8", " 84575948 "])
def test_a_national_code_is_read_in_any_digits_and_gets_its_leading_zeros(typed):
    assert NationalCodeField().clean(typed) == "0084575948"


def test_the_code_fields_refuse_in_persian_and_leave_an_optional_box_empty():
    with pytest.raises(ValidationError) as caught:
        NationalCodeField().clean("0084575949")
    assert caught.value.messages == ["کد ملی معتبر نیست."]
    with pytest.raises(ValidationError) as caught:
        MobileField().clean("۰۲۱۳۳۴۴۵۵۶۶")
    assert caught.value.messages == ["شمارهٔ موبایل معتبر نیست؛ آن را به شکل ۰۹۱۲۱۲۳۴۵۶۷ بنویسید."]
    assert MobileField(required=False).clean("") == ""
    assert NationalCodeField(required=False).clean("  ") == ""


def test_a_form_reads_persian_digits_in_both_code_fields():
    class Form(PersianDigitsMixin, forms.Form):
        national_code = NationalCodeField()
        mobile = MobileField()

    form = Form({"national_code": "۰۰۸۴۵۷۵۹۴۸", "mobile": "۰۹۱۲۱۲۳۴۵۶۷"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"national_code": "0084575948", "mobile": "09121234567"}
    assert form["national_code"].value() == "۰۰۸۴۵۷۵۹۴۸"  # shown again as typed
