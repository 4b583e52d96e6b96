"""When a channel's connection breaks (a revoked token, a bot removed from the channel),
the organisation's PR managers hear of it twice: an SMS to each one with a mobile, and a
card on their home page listing the broken connections until someone reconnects."""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamafza.core.audit import audit, register_action_labels
from hamafza.core.dashboard import Card, card
from hamafza.core.sms import Rendered, queue_notice, sms_notice
from hamafza.network.models import Role
from hamafza.network.policy import holders, managed_organisation_ids

from .models import ChannelConnection, ConnectionState

register_action_labels(
    {
        "publishing.channel.broken": gettext_lazy("قطع اتصال کانال"),
        "publishing.delivery.failed": gettext_lazy("ارسال ناموفق"),
        "publishing.delivery.unconfirmed": gettext_lazy("ارسال نامعلوم"),
        "publishing.delivery.too_late": gettext_lazy("گذشت مهلت حذف یا ویرایش در پیام‌رسان"),
        "publishing.delivery.resolved": gettext_lazy("روشن کردن وضعیت ارسال"),
        "publishing.delivery.retried": gettext_lazy("تلاش دوباره برای ارسال ناموفق"),
        "publishing.defaults.set": gettext_lazy("تعیین کانال‌های پیش‌فرض نوشته‌های تازه"),
        "publishing.delivery.pin_failed": gettext_lazy("سنجاق نشدن مطلب در کانال"),
        "publishing.post.corrected": gettext_lazy("اصلاح مطلب منتشرشده"),
        "publishing.post.withdrawn": gettext_lazy("پس گرفتن مطلب"),
    }
)


def alert_broken_connection(channel, error: str) -> None:
    """Call inside the transaction that marked the connection broken; the SMS leave after
    it commits."""
    managers = (
        holders(channel.organisation_id, {Role.PR_MANAGER})
        .exclude(mobile="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for user_id in managers:
        queue_notice("publishing.channel.broken", channel=channel.pk, user=user_id)
    audit(
        actor=None,
        action="publishing.channel.broken",
        target=channel,
        organisation_id=channel.organisation_id,
        data={"error": error[:500]},
    )


@sms_notice("publishing.channel.broken")
def broken_connection_notice(*, channel: int, user: int) -> Rendered | None:
    """Rendered when sent: the manager's mobile and language as they are then, and nothing
    if the connection was repaired meanwhile."""
    connection = (
        ChannelConnection.objects.filter(channel_id=channel, state=ConnectionState.BROKEN)
        .select_related("channel")
        .first()
    )
    person = get_user_model().objects.filter(pk=user, is_active=True).first()
    if connection is None or person is None or not person.mobile:
        return None
    with translation.override(person.preferred_language):
        text = _(
            "هم‌افزا: اتصال کانال «{channel}» قطع شده و ارسال‌ها به آن متوقف است. "
            "لطفاً ربات را دوباره وصل کنید."
        ).format(channel=connection.channel)
    return Rendered(to=person.mobile, text=text)


@card
def broken_connections(user) -> Card | None:
    """«اتصال‌های خراب»: for the PR managers of organisations with a channel sends are
    stopped on, its connection broken or never made (the queue page's list, the same)."""
    if not user.is_authenticated:
        return None
    org_ids = managed_organisation_ids(user)
    if org_ids is not None and not org_ids:
        return None
    from .selectors import stalled_channels  # selectors read; alerts are written by the outbox

    stalled = stalled_channels(org_ids)[:20]
    if not stalled:
        return None
    return Card(
        _("اتصال‌های خراب"),
        "publishing/cards/broken_connections.html",
        {"stalled": stalled},
        order=5,
    )
