"""Publishing on the home page: posts waiting for a reviewer, posts returned to their
writers; and the menu entries of the publishing pages."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamafza.core.dashboard import Card, card
from hamafza.core.permissions import rule
from hamafza.network.policy import holds_any_role, is_network_admin

from . import selectors
from .policy import REVIEWERS, WRITERS


@rule("publishing.menu.posts")
def _sees_posts(user, _obj=None) -> bool:
    return is_network_admin(user) or holds_any_role(user, WRITERS | REVIEWERS)


@rule("publishing.menu.review")
def _sees_review(user, _obj=None) -> bool:
    return is_network_admin(user) or holds_any_role(user, REVIEWERS)


@card
def awaiting_review(user) -> Card | None:
    if not _sees_review(user):
        return None
    queue = selectors.review_queue(user)
    return Card(
        _("در انتظار بازبینی"),
        "publishing/cards/awaiting_review.html",
        {"posts": list(queue[:5]), "count": queue.count()},
        order=15,
    )


@card
def returned(user) -> Card | None:
    if not (is_network_admin(user) or holds_any_role(user, WRITERS)):
        return None
    posts = selectors.returned_posts(user)
    count = posts.count()
    if not count:
        return None
    return Card(
        _("بازگشتی‌ها"),
        "publishing/cards/returned.html",
        {"posts": list(posts[:5]), "count": count},
        order=16,
    )


def register_navigation() -> None:
    from hamafza.core.audit import register_action_labels
    from hamafza.core.navigation import nav_item

    register_action_labels(
        {
            "publishing.post.created": gettext_lazy("نوشتن مطلب"),
            "publishing.post.updated": gettext_lazy("ویرایش مطلب"),
            "publishing.post.submitted": gettext_lazy("فرستادن مطلب برای بازبینی"),
            "publishing.post.returned": gettext_lazy("بازگرداندن مطلب به نویسنده"),
            "publishing.post.approved": gettext_lazy("تأیید مطلب برای انتشار"),
            "publishing.post.review_edited": gettext_lazy("ویرایش بازبین پیش از تأیید"),
            "publishing.channel.connected": gettext_lazy("اتصال کانال برای انتشار"),
            "publishing.photo.added": gettext_lazy("افزودن عکس به مطلب"),
            "publishing.photo.removed": gettext_lazy("برداشتن عکس مطلب"),
            "publishing.attachment.added": gettext_lazy("افزودن پیوست (ویدیو یا سند) به مطلب"),
            "publishing.attachment.removed": gettext_lazy("برداشتن پیوست مطلب"),
        }
    )

    nav_item(
        gettext_lazy("مطالب"), "publishing:post_list", action="publishing.menu.posts", order=30
    )
    nav_item(
        gettext_lazy("بازبینی"),
        "publishing:review_queue",
        action="publishing.menu.review",
        order=31,
    )
    nav_item(
        gettext_lazy("تقویم انتشار"),
        "publishing:calendar",
        action="publishing.menu.posts",
        order=33,
    )
    nav_item(gettext_lazy("صف انتشار"), "publishing:queue_health", action="network.admin", order=32)
