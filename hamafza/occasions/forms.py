from django import forms

from hamafza.core.forms import JalaliDateField, PersianDigitsMixin
from hamafza.persian.lunar import HIJRI_MONTHS


class LunarOverrideForm(PersianDigitsMixin, forms.Form):
    hijri_year = forms.IntegerField(label="سال قمری", min_value=1300, max_value=1500)
    month = forms.TypedChoiceField(
        label="ماه", coerce=int, choices=[(i, name) for i, name in enumerate(HIJRI_MONTHS, start=1)]
    )
    first_day = JalaliDateField(label="نخستین روز ماه (شمسی)")
    note = forms.CharField(
        label="توضیح", max_length=200, required=False, help_text="مثلاً: بنا بر اعلام دفتر استهلال"
    )
