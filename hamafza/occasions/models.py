from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LunarMonthOverride(models.Model):
    """An editor's correction of the first day of a lunar Hijri month, for when the moon
    was sighted a day off the published calendar (the table's newest years are forecasts)."""

    hijri_year = models.PositiveSmallIntegerField(_("سال قمری"))
    month = models.PositiveSmallIntegerField(_("ماه"))
    first_day = models.DateField(_("نخستین روز ماه"))
    note = models.CharField(_("توضیح"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("اصلاح آغاز ماه قمری")
        verbose_name_plural = _("اصلاح‌های آغاز ماه قمری")
        ordering = ["-hijri_year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["hijri_year", "month"], name="occasions_one_override_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="occasions_month_1_12"
            ),
        ]

    def __str__(self) -> str:
        from hamafza.persian.dates import jalali_date
        from hamafza.persian.digits import to_persian_digits
        from hamafza.persian.lunar import HIJRI_MONTHS

        month = f"{HIJRI_MONTHS[self.month - 1]} {to_persian_digits(self.hijri_year)}"
        return f"{month} — {jalali_date(self.first_day)}"
