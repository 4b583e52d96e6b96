from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "hamafza.portal"
    label = "portal"
    verbose_name = _("درگاه عمومی")

    def ready(self) -> None:
        from django.urls import reverse

        from hamafza.publishing.links import register_public_url

        # The address the outbox sends to the channels and records for the website: the
        # short one, which redirects to the page under its title.
        register_public_url(lambda post: reverse("portal:post_detail", kwargs={"pk": post.pk}))
