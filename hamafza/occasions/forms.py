from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.core.forms import JalaliDateField, PersianDigitsMixin
from hamafza.persian.lunar import HIJRI_MONTHS, to_hijri


class LunarOverrideForm(PersianDigitsMixin, forms.Form):
    hijri_year = forms.IntegerField(
        initial=lambda: to_hijri(timezone.localdate()).year,
        label=_("سال قمری"),
        min_value=1300,
        max_value=1500,
    )
    month = forms.TypedChoiceField(
        label=_("ماه"),
        coerce=int,
        choices=[(i, name) for i, name in enumerate(HIJRI_MONTHS, start=1)],
    )
    first_day = JalaliDateField(label=_("نخستین روز ماه (شمسی)"))
    following_months = forms.IntegerField(
        label=_("ماه‌های بعد هم به همین اندازه جابه‌جا شوند"),
        min_value=0,
        max_value=11,
        initial=0,
        required=False,
        help_text=_(
            "وقتی هلال یک ماه یک روز زودتر یا دیرتر دیده شد، ماه‌های پس از آن هم معمولاً جابه‌جا می‌شوند."
        ),
    )
    note = forms.CharField(
        label=_("توضیح"),
        max_length=200,
        required=False,
        help_text=_("مثلاً: بنا بر اعلام دفتر استهلال"),
    )

    def clean_following_months(self) -> int:
        return self.cleaned_data.get("following_months") or 0
