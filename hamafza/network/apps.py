from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "hamafza.network"
    label = "network"
    verbose_name = _("شبکه روابط عمومی")

    def ready(self) -> None:
        # Registering: the network's permission rules and its home-page cards.
        from . import dashboard, policy  # noqa: F401
