from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hamafza.core"
    label = "core"
    verbose_name = _("هسته")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (system checks)
        from .audit import register_action_labels
        from .navigation import nav_item
        from .sms import alerts  # noqa: F401  (the SMS account card)

        register_action_labels(
            {
                "core.api_token.issued": _("ساخت توکن API"),
                "core.api_token.revoked": _("ابطال توکن API"),
                "core.sms.account_alert": _("هشدار حساب پیامک"),
                "core.password.reset": _("بازیابی گذرواژه"),
                "core.two_factor.enabled": _("روشن کردن ورود دومرحله‌ای"),
                "core.two_factor.disabled": _("خاموش کردن ورود دومرحله‌ای"),
                "core.two_factor.codes_renewed": _("رمزهای پشتیبان تازه"),
            }
        )

        nav_item(_("پیشخوان"), "home", order=0)
        nav_item(_("گزارش ممیزی"), "audit_log", action="audit.view", order=90)
