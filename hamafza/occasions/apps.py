from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccasionsConfig(AppConfig):
    name = "hamafza.occasions"
    label = "occasions"
    verbose_name = _("تقویم و مناسبت‌ها")

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from hamafza.core.audit import register_action_labels
        from hamafza.core.navigation import nav_item
        from hamafza.persian import lunar

        from . import policy  # noqa: F401  (registers the calendar's permission rules)
        from .models import LunarMonthOverride
        from .selectors import forget_lunar_overrides, lunar_overrides

        # Forget at once (this transaction sees its own change) and again at commit (another
        # request of this process may have cached the old rows in between).
        def forget_after_commit(**_kwargs):
            forget_lunar_overrides()
            transaction.on_commit(forget_lunar_overrides)

        for signal in (post_save, post_delete):
            signal.connect(forget_after_commit, sender=LunarMonthOverride, weak=False)

        # Every lunar date the project shows follows the editors' corrections.
        lunar.set_override_provider(lunar_overrides)
        nav_item(_("تقویم قمری"), "occasions:lunar_calendar", action="calendar.edit", order=80)
        register_action_labels(
            {
                "occasions.lunar_month.overridden": _("اصلاح آغاز ماه قمری"),
                "occasions.lunar_month.restored": _("برداشتن اصلاح ماه قمری"),
            }
        )
