from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "hamafza.network"
    label = "network"
    verbose_name = _("شبکه روابط عمومی")

    def ready(self) -> None:
        # Registering: the network's permission rules and its home-page cards.
        from hamafza.core.navigation import nav_item

        from . import dashboard, policy  # noqa: F401

        nav_item(_("سازمان‌ها"), "network:organisation_list", order=10)
        nav_item(_("اشخاص"), "network:person_list", action="person.list", order=20)
