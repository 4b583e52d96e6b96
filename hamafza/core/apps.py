from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hamafza.core"
    label = "core"
    verbose_name = _("هسته")

    def ready(self) -> None:
        from .navigation import nav_item

        nav_item(_("پیشخوان"), "home", order=0)
        nav_item(_("گزارش ممیزی"), "audit_log", action="audit.view", order=90)
