from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "hamafza.publishing"
    label = "publishing"
    verbose_name = _("انتشار")

    def ready(self) -> None:
        from . import policy  # noqa: F401  (registers the publishing permission rules)
