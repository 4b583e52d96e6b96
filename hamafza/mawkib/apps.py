from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MawkibConfig(AppConfig):
    name = "hamafza.mawkib"
    label = "mawkib"
    verbose_name = _("موکب‌های اربعین")

    def ready(self) -> None:
        from hamafza.core.navigation import nav_item

        from . import dashboard, policy  # noqa: F401  (the permission rules; home cards)

        nav_item(_("موکب‌ها"), "mawkib:season_list", action="mawkib.coordinate", order=50)
        nav_item(_("گزارش‌های اربعین"), "mawkib:reports", action="mawkib.reports", order=60)

        from hamafza.core.signals import demo_network_loaded

        from .demo import load as load_demo

        demo_network_loaded.connect(load_demo, dispatch_uid="mawkib-demo")
