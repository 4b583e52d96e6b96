from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "hamafza.publishing"
    label = "publishing"
    verbose_name = _("انتشار")

    def ready(self) -> None:
        # Registering: the permission rules; the broken-connections card and audit labels.
        from . import alerts, policy  # noqa: F401
        from .dashboard import register_navigation  # also registers the home-page cards

        register_navigation()

        from hamafza.core.media import register_public_media
        from hamafza.core.workers import register_kind

        from .outbox import WORKER_KIND
        from .selectors import PHOTO_PREFIX, photo_is_public

        register_kind(WORKER_KIND, _("ارسال به کانال‌ها"))
        register_public_media(PHOTO_PREFIX, photo_is_public)

        from hamafza.network.audience import register_sent_posts

        from .audience import SentPublications

        register_sent_posts(SentPublications())  # the network's charts count what was sent

        from hamafza.core.signals import demo_network_loaded

        from .demo import load as load_demo

        demo_network_loaded.connect(load_demo, dispatch_uid="publishing-demo")
