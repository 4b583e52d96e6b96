"""The network: the province, its organisations, the people in them with their roles, and
each organisation's information channels with their audience over time."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.core.collation import persian_order


class Province(models.Model):
    name = models.CharField(_("نام"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        verbose_name = _("استان")
        verbose_name_plural = _("استان‌ها")
        ordering = [persian_order("name")]

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    province = models.ForeignKey(
        Province, verbose_name=_("استان"), on_delete=models.PROTECT, related_name="counties"
    )
    name = models.CharField(_("نام"), max_length=100)
    slug = models.SlugField()

    class Meta:
        verbose_name = _("شهرستان")
        verbose_name_plural = _("شهرستان‌ها")
        ordering = [persian_order("name")]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="network_county_name_unique"),
            models.UniqueConstraint(fields=["province", "slug"], name="network_county_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


# One wording per mistake: the forms (model validation) and the services (database
# constraints, which also catch races) say the same thing.
ORGANISATION_NAME_TAKEN = _("سازمانی با این نام هست.")
ORGANISATION_SLUG_TAKEN = _("این نشانی کوتاه را سازمان دیگری دارد.")
PROVINCE_HAS_HUB = _("این استان اداره کل دارد.")
CHANNEL_TAKEN = _("این کانال پیش‌تر ثبت شده است.")


class OrganisationKind(models.TextChoices):
    HUB = "hub", _("اداره کل (مرکز شبکه)")
    AGENCY = "agency", _("دستگاه / نهاد تابعه")
    COUNTY_OFFICE = "county_office", _("اداره شهرستان")
    GOVERNORATE = "governorate", _("استانداری")
    GOVERNMENT = "government", _("دستگاه دولتی دیگر")
    PRIVATE = "private", _("مؤسسه خصوصی")
    MEDIA = "media", _("رسانه")


class OrganisationQuerySet(models.QuerySet):
    def in_network_order(self) -> "OrganisationQuerySet":
        """The top of the tree first, then Persian order: an organisation with hubs under it
        (a ministry), then the hubs, then everyone else, as people expect in every list and
        dropdown of organisations."""
        above_hubs = Organisation.objects.filter(parent=OuterRef("pk"), kind=OrganisationKind.HUB)
        rank = models.Case(
            models.When(models.Exists(above_hubs), then=0),
            models.When(kind=OrganisationKind.HUB, then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return self.alias(network_rank=rank).order_by("network_rank", persian_order("name"))


class Organisation(models.Model):
    name = models.CharField(
        _("نام"), max_length=200, unique=True, error_messages={"unique": ORGANISATION_NAME_TAKEN}
    )
    short_name = models.CharField(_("نام کوتاه"), max_length=60, blank=True)
    slug = models.SlugField(
        _("نشانی کوتاه"),
        max_length=80,
        unique=True,
        allow_unicode=True,
        error_messages={"unique": ORGANISATION_SLUG_TAKEN},
    )
    kind = models.CharField(_("نوع"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("سازمان بالادست"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        Province, verbose_name=_("استان"), on_delete=models.PROTECT, related_name="organisations"
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("شهرستان"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    website = models.URLField(_("وب‌سایت"), blank=True)
    phone = models.CharField(_("تلفن"), max_length=20, blank=True)
    address = models.CharField(_("نشانی"), max_length=300, blank=True)
    is_active = models.BooleanField(_("فعال"), default=True)
    created_at = models.DateTimeField(_("تاریخ ایجاد"), default=timezone.now)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("سازمان")
        verbose_name_plural = _("سازمان‌ها")
        ordering = [persian_order("name")]
        constraints = [
            # One hub per province: the network has exactly one centre.
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(kind="hub"),
                name="network_one_hub_per_province",
                violation_error_message=PROVINCE_HAS_HUB,
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="network_organisation_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_hub(self) -> bool:
        return self.kind == OrganisationKind.HUB


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("مدیر شبکه")
    PR_MANAGER = "pr_manager", _("مدیر روابط عمومی")
    EDITOR = "editor", _("دبیر / ویراستار خبر")
    REVIEWER = "reviewer", _("بازبین (رئیس روابط عمومی)")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("هماهنگ‌کننده خادمان")
    INSTRUCTOR = "instructor", _("مدرس")
    JOURNALIST = "journalist", _("خبرنگار")


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, organisation__is_active=True)


class Membership(models.Model):
    """A person's role in an organisation. One row per (person, organisation, role): a
    person can hold several roles, and roles in several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("شخص"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("سازمان"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("نقش"), max_length=30, choices=Role.choices)
    title = models.CharField(_("سمت"), max_length=120, blank=True)
    is_active = models.BooleanField(_("فعال"), default=True)
    created_at = models.DateTimeField(_("تاریخ ایجاد"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("عضویت")
        verbose_name_plural = _("عضویت‌ها")
        ordering = [persian_order("organisation__name"), "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="network_membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="network_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class ChannelKind(models.TextChoices):
    WEBSITE = "website", _("وب‌سایت")
    RSS = "rss", _("خوراک RSS")
    TELEGRAM = "telegram", _("تلگرام")
    BALE = "bale", _("بله")
    EITAA = "eitaa", _("ایتا")
    RUBIKA = "rubika", _("روبیکا")
    INSTAGRAM = "instagram", _("اینستاگرام")


class Channel(models.Model):
    """An information channel (کانال اطلاع‌رسانی) an organisation publishes to."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("سازمان"), on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(_("نوع"), max_length=20, choices=ChannelKind.choices)
    handle = models.CharField(_("شناسه"), max_length=200)
    title = models.CharField(_("عنوان"), max_length=200, blank=True)
    url = models.URLField(_("نشانی"), blank=True)
    is_active = models.BooleanField(_("فعال"), default=True)
    created_at = models.DateTimeField(_("تاریخ ایجاد"), default=timezone.now)

    class Meta:
        verbose_name = _("کانال اطلاع‌رسانی")
        verbose_name_plural = _("کانال‌های اطلاع‌رسانی")
        ordering = [persian_order("organisation__name"), "kind", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "handle"],
                name="network_channel_kind_handle_unique",
                violation_error_message=CHANNEL_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title or self.handle}"


class AudienceSnapshot(models.Model):
    """How many members/followers a channel had on a day. One per channel per day: a
    second figure for the same day replaces the first."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("ورود دستی")
        COLLECTED = "collected", _("جمع‌آوری خودکار")

    channel = models.ForeignKey(
        Channel, verbose_name=_("کانال"), on_delete=models.CASCADE, related_name="snapshots"
    )
    taken_on = models.DateField(_("تاریخ"))
    # Bounded explicitly: SQLite would take any 64-bit number, PostgreSQL's integer not.
    members = models.PositiveIntegerField(
        _("شمار مخاطبان"), validators=[MaxValueValidator(2_147_483_647)]
    )
    source = models.CharField(_("منبع"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("آمار مخاطبان")
        verbose_name_plural = _("آمار مخاطبان")
        ordering = ["channel", "-taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "taken_on"], name="network_snapshot_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.members}"


#: The roles that administer the network or approve what goes to official channels: the
#: ones a network admin may require two-factor sign-in of.
GUARDED_ROLES = (Role.NETWORK_ADMIN, Role.PR_MANAGER, Role.REVIEWER)


class TwoFactorRequirement(models.Model):
    """A role whose holders must sign in with a second factor (demo accounts aside)."""

    role = models.CharField(_("نقش"), max_length=30, choices=Role.choices, unique=True)
    required_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("الزام ورود دومرحله‌ای")
        verbose_name_plural = _("الزام‌های ورود دومرحله‌ای")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in GUARDED_ROLES]),
                name="network_twofactor_guarded_role",
            ),
        ]

    def __str__(self) -> str:
        return self.get_role_display()
