from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "hamafza.network"
    label = "network"
    verbose_name = _("شبکه روابط عمومی")

    def ready(self) -> None:
        # Registering: the network's permission rules and its home-page cards.
        from hamafza.core.audit import register_action_labels, register_audit_readers
        from hamafza.core.navigation import nav_item
        from hamafza.core.operators import register_operators

        from . import dashboard, policy  # noqa: F401  (dashboard registers the home cards)

        register_operators(policy.top_network_admins)
        register_audit_readers(policy.is_network_admin)  # the whole audit log

        from hamafza.core.two_factor import register_requirement

        register_requirement(policy.two_factor_required)

        nav_item(_("سازمان‌ها"), "network:organisation_list", order=10)
        nav_item(_("اشخاص"), "network:person_list", action="person.list", order=20)
        nav_item(
            _("امنیت ورود"), "network:two_factor_requirements", action="network.admin", order=95
        )
        register_action_labels(
            {
                "network.organisation.created": _("ساخت سازمان"),
                "network.organisation.updated": _("ویرایش سازمان"),
                "network.person.created": _("افزودن شخص"),
                "network.person.updated": _("ویرایش شخص"),
                "network.person.activated": _("فعال کردن حساب"),
                "network.person.deactivated": _("غیرفعال کردن حساب"),
                "network.membership.granted": _("دادن نقش"),
                "network.membership.revoked": _("پایان نقش"),
                "network.channel.created": _("افزودن کانال"),
                "network.channel.updated": _("ویرایش کانال"),
                "network.audience.recorded": _("ثبت آمار مخاطبان"),
                "network.audience.collected": _("جمع‌آوری خودکار آمار مخاطبان"),
                "network.demo.loaded": _("بارگذاری داده نمایشی"),
                "network.two_factor.required": _("الزام ورود دومرحله‌ای"),
            }
        )
