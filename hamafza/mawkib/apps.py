from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MawkibConfig(AppConfig):
    name = "hamafza.mawkib"
    label = "mawkib"
    verbose_name = _("موکب‌های اربعین")

    def ready(self) -> None:
        from hamafza.core.navigation import nav_item, public_link

        from . import dashboard, notices, policy  # noqa: F401  (rules; home cards; SMS notices)

        nav_item(_("موکب‌ها"), "mawkib:season_list", action="mawkib.coordinate", order=50)
        nav_item(_("گزارش‌های اربعین"), "mawkib:reports", action="mawkib.reports", order=60)
        public_link(_("اعلام آمادگی برای خدمت در موکب‌های اربعین"), "mawkib:apply", order=10)
        public_link(_("پیگیری درخواست خدمت با کد رهگیری"), "mawkib:track", order=20)

        from hamafza.core.signals import demo_network_loaded

        from .demo import load as load_demo

        demo_network_loaded.connect(load_demo, dispatch_uid="mawkib-demo")

        from hamafza.core.audit import register_action_labels

        register_action_labels(
            {
                "mawkib.application.submitted": _("ثبت درخواست خدمت"),
                "mawkib.application.reminded": _("یادآوری کد رهگیری"),
                "mawkib.application.edited": _("ویرایش درخواست خدمت"),
                "mawkib.application.withdrawn": _("انصراف از خدمت"),
                "mawkib.application.nominated": _("معرفی خادم از سوی دستگاه"),
                "mawkib.application.approved": _("پذیرش درخواست خدمت"),
                "mawkib.application.rejected": _("رد درخواست خدمت"),
                "mawkib.application.waitlisted": _("فهرست انتظار"),
                "mawkib.applications.erased": _("پاک کردن اطلاعات شخصی خادمان"),
                "mawkib.assignment.created": _("گرفتن نوبت"),
                "mawkib.assignment.cancelled": _("لغو نوبت"),
                "mawkib.assignment.checked_in": _("ورود خادم"),
                "mawkib.assignment.checked_out": _("خروج خادم"),
                "mawkib.assignment.no_show": _("غیبت خادم"),
                "mawkib.waitlist.joined": _("ماندن در فهرست انتظار"),
                "mawkib.season.created": _("ساخت فصل اربعین"),
                "mawkib.season.changed": _("ویرایش فصل اربعین"),
                "mawkib.season.copied": _("آغاز فصل بعد"),
                "mawkib.mawkib.created": _("ساخت موکب"),
                "mawkib.mawkib.changed": _("ویرایش موکب"),
                "mawkib.role.created": _("ساخت نقش خدمت"),
                "mawkib.role.changed": _("ویرایش نقش خدمت"),
                "mawkib.template.created": _("ساخت الگوی نوبت"),
                "mawkib.template.deleted": _("حذف الگوی نوبت"),
                "mawkib.template.demand_set": _("تعیین نیاز الگوی نوبت"),
                "mawkib.quota.set": _("تعیین سهمیه دستگاه"),
                "mawkib.shifts.generated": _("ساختن نوبت‌ها"),
                "mawkib.shifts.undone": _("برداشتن دسته نوبت‌ها"),
                "mawkib.demand.changed": _("تغییر ظرفیت نوبت"),
                "mawkib.service_log.recorded": _("ثبت گزارش خدمت"),
                "mawkib.service_log.updated": _("ویرایش گزارش خدمت"),
                "mawkib.export.card": _("دریافت کارت خادم"),
                "mawkib.export.service": _("دریافت گزارش خدمت موکب‌ها"),
                "mawkib.export.volunteers": _("دریافت گزارش ساعت خدمت خادمان"),
                "mawkib.export.agencies": _("دریافت گزارش مشارکت دستگاه‌ها"),
                "mawkib.export.seasons": _("دریافت گزارش مقایسه فصل‌ها"),
            }
        )
