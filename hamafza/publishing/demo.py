"""Publishing's demo data, added when `hamafza demo` loads the network: news already on
the site (so the portal has something to show), one post waiting for the reviewer and one
draft for the editor."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .links import post_public_url
from .models import Delivery, DeliveryState, Post, PostKind, PostStatus, PostTarget

STORIES = [
    (
        "behzisti",
        "برگزاری نخستین نشست روابط عمومی‌های دستگاه‌های تابعه در زاهدان",
        "نشست روابط عمومی‌های دستگاه‌های تابعه وزارت تعاون، کار و رفاه اجتماعی در استان برگزار شد.",
    ),
    (
        "hub",
        "آمادگی سه موکب اداره کل برای پذیرایی از زائران پاکستانی اربعین",
        "دو موکب در مرزهای میرجاوه و ریمدان و یک موکب در زائرسرای امام رضا (ع) برپا می‌شود.",
    ),
    (
        "fanni",
        "آغاز ثبت‌نام دوره‌های مجازی خبرنویسی و عکس خبری",
        "کارکنان روابط عمومی دستگاه‌ها و اصحاب رسانه می‌توانند در دوره‌ها شرکت کنند.",
    ),
    (
        "tamin",
        "پرداخت مستمری بازنشستگان از هفته آینده",
        "مستمری بازنشستگان تأمین اجتماعی استان از هفته آینده واریز می‌شود.",
    ),
    (
        "omid",
        "پرداخت تسهیلات اشتغال خانگی به ۲۰۰ متقاضی",
        "صندوق کارآفرینی امید استان تسهیلات اشتغال خانگی را به متقاضیان پرداخت کرد.",
    ),
    (
        "bank-refah",
        "گسترش خدمات بانکداری الکترونیک در شهرستان‌های جنوبی استان",
        "بانک رفاه کارگران خدمات الکترونیک خود را در چابهار و دشتیاری گسترش داد.",
    ),
]


def load(sender, organisations, admin, stdout, **kwargs) -> None:
    if Post.objects.exists():
        return  # loaded before
    now = timezone.now()
    for age, (slug, title, lead) in enumerate(STORIES):
        organisation = organisations[slug]
        published = now - timedelta(hours=6 * age + 1)
        post = Post.objects.create(
            organisation=organisation,
            kind=PostKind.NEWS,
            title=title,
            lead=lead,
            body=f"<p>{lead}</p><p>به گزارش روابط عمومی {organisation.name}، این خبر در شبکه هم‌افزا منتشر شد.</p>",
            status=PostStatus.SENT,
            created_by=admin,
            reviewed_by=admin,
            approved_at=published,
            published_at=published,
            created_at=published,
        )
        site = organisation.channels.filter(kind="website").first()
        if site is not None:
            PostTarget.objects.create(post=post, channel=site)
            Delivery.objects.create(
                post=post,
                channel=site,
                state=DeliveryState.SENT,
                sent_at=published,
                remote_url=post_public_url(post),
            )
    _waiting_posts(organisations)
    stdout.write("انتشار: ۶ خبر در سایت، یک مطلب در انتظار بازبینی و یک پیش‌نویس بارگذاری شد.")


def _waiting_posts(organisations) -> None:
    users = get_user_model().objects
    editor = users.filter(username="dabir").first()
    behzisti = organisations["behzisti"]
    channels = list(behzisti.channels.filter(kind__in=["website", "telegram", "eitaa"]))
    in_review = Post.objects.create(
        organisation=behzisti,
        title="توزیع بسته‌های معیشتی میان مددجویان زاهدان",
        lead="بهزیستی استان ۵۰۰ بسته معیشتی میان مددجویان توزیع کرد.",
        body="<p>بهزیستی استان ۵۰۰ بسته معیشتی میان مددجویان زاهدان توزیع کرد.</p>",
        status=PostStatus.IN_REVIEW,
        created_by=editor,
        submitted_at=timezone.now(),
    )
    draft = Post.objects.create(
        organisation=behzisti,
        title="برگزاری کارگاه آموزشی مهارت های زندگی",
        body="<p>کارگاه مهارتهای زندگی ویژه مددجویان در زاهدان برگزار میشود.</p>",
        created_by=editor,
    )
    for post in (in_review, draft):
        PostTarget.objects.bulk_create(PostTarget(post=post, channel=c) for c in channels)
