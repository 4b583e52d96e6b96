"""`hamafza demo`: a realistic demo network, safe to run again (it only adds what is
missing). The logins it creates are for demonstration only; the README lists them."""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from hamafza.core.audit import audit
from hamafza.core.signals import demo_network_loaded
from hamafza.network.models import (
    AudienceSnapshot,
    Channel,
    County,
    Membership,
    Organisation,
    OrganisationKind,
    Province,
    Role,
)

DEMO_PASSWORD = "hamafza-demo"
PROVINCE = ("سیستان و بلوچستان", "sistan-baluchestan")
COUNTIES = [
    ("زاهدان", "zahedan"),
    ("زابل", "zabol"),
    ("ایرانشهر", "iranshahr"),
    ("چابهار", "chabahar"),
    ("سراوان", "saravan"),
    ("خاش", "khash"),
    ("میرجاوه", "mirjaveh"),
    ("سرباز", "sarbaz"),
    ("نیک‌شهر", "nikshahr"),
    ("کنارک", "konarak"),
    ("راسک", "rask"),
    ("زهک", "zahak"),
]
HUB = ("اداره کل تعاون، کار و رفاه اجتماعی سیستان و بلوچستان", "اداره کل تعاون، کار و رفاه", "hub")
AGENCIES = [
    ("اداره کل تأمین اجتماعی سیستان و بلوچستان", "تأمین اجتماعی", "tamin"),
    ("اداره کل بهزیستی سیستان و بلوچستان", "بهزیستی", "behzisti"),
    ("اداره کل آموزش فنی و حرفه‌ای سیستان و بلوچستان", "آموزش فنی و حرفه‌ای", "fanni"),
    ("بانک رفاه کارگران استان سیستان و بلوچستان", "بانک رفاه کارگران", "bank-refah"),
    ("بانک توسعه تعاون استان سیستان و بلوچستان", "بانک توسعه تعاون", "bank-taavon"),
    ("صندوق کارآفرینی امید سیستان و بلوچستان", "صندوق کارآفرینی امید", "omid"),
]
COUNTY_OFFICES = [("zabol", "زابل"), ("chabahar", "چابهار"), ("iranshahr", "ایرانشهر")]
MEDIA = [
    ("خبرگزاری مهر — دفتر سیستان و بلوچستان", "مهر زاهدان", "mehr"),
    ("خبرگزاری ایرنا — زاهدان", "ایرنا زاهدان", "irna"),
    ("صدا و سیمای مرکز سیستان و بلوچستان", "صدا و سیمای مرکز", "irib-sb"),
]
DEMO_USERS = [
    # username, first, last, role, organisation slug, title
    ("admin", "سید مهدی", "حسینی", Role.NETWORK_ADMIN, "hub", "مدیر اجتماعی"),
    ("modir", "زهرا", "نارویی", Role.PR_MANAGER, "behzisti", "مدیر روابط عمومی"),
    ("dabir", "علی", "ریگی", Role.EDITOR, "behzisti", "دبیر خبر"),
    ("bazbin", "مریم", "شهرکی", Role.REVIEWER, "behzisti", "رئیس روابط عمومی"),
    ("hamahang", "حسین", "براهویی", Role.VOLUNTEER_COORDINATOR, "hub", "هماهنگ‌کننده موکب‌ها"),
    ("modares", "فاطمه", "میر", Role.INSTRUCTOR, "hub", "مدرس خبرنویسی"),
    ("khabarnegar", "رضا", "بلوچ", Role.JOURNALIST, "mehr", "خبرنگار"),
]
CHANNEL_KINDS = [
    ("website", "{slug}.example.ir"),
    ("telegram", "@{slug}_sb"),
    ("eitaa", "@{slug}_sb"),
    ("bale", "@{slug}_sb"),
]


LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


class Command(BaseCommand):
    help = "بارگذاری داده نمایشی شبکه (بی‌خطر برای اجرای دوباره)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--on-public-host",
            action="store_true",
            help="load the demo logins even though ALLOWED_HOSTS names a public host",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        public = set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS
        if public and not options["on_public_host"]:
            # The demo logins have a published password: never on a reachable site by accident.
            raise CommandError(
                f"ALLOWED_HOSTS names {sorted(public)}: the demo's published logins would be "
                "reachable there. Pass --on-public-host if that is really what you want."
            )
        province, _ = Province.objects.get_or_create(
            slug=PROVINCE[1], defaults={"name": PROVINCE[0]}
        )
        counties = {
            slug: County.objects.get_or_create(
                province=province, slug=slug, defaults={"name": name}
            )[0]
            for name, slug in COUNTIES
        }
        zahedan = counties["zahedan"]
        hub = self._org(HUB, OrganisationKind.HUB, province, zahedan, None)
        orgs = {"hub": hub}
        for spec in AGENCIES:
            orgs[spec[2]] = self._org(spec, OrganisationKind.AGENCY, province, zahedan, hub)
        for slug, county_name in COUNTY_OFFICES:
            spec = (
                f"اداره تعاون، کار و رفاه اجتماعی شهرستان {county_name}",
                f"اداره {county_name}",
                f"office-{slug}",
            )
            orgs[spec[2]] = self._org(
                spec, OrganisationKind.COUNTY_OFFICE, province, counties[slug], hub
            )
        gov = ("استانداری سیستان و بلوچستان", "استانداری", "ostandari")
        orgs["ostandari"] = self._org(gov, OrganisationKind.GOVERNORATE, province, zahedan, None)
        for spec in MEDIA:
            orgs[spec[2]] = self._org(spec, OrganisationKind.MEDIA, province, zahedan, None)

        for org in orgs.values():
            if org.kind in (
                OrganisationKind.HUB,
                OrganisationKind.AGENCY,
                OrganisationKind.COUNTY_OFFICE,
            ):
                self._channels(org)
        created = self._users(orgs)
        if created:
            audit(actor=None, action="network.demo.loaded", data={"users": created})
        admin = get_user_model().objects.get(username="admin")
        demo_network_loaded.send(
            sender=self.__class__, organisations=orgs, admin=admin, stdout=self.stdout
        )
        self.stdout.write(self.style.SUCCESS(f"شبکه نمایشی آماده است: {len(orgs)} سازمان."))

    def _org(self, spec, kind, province, county, parent) -> Organisation:
        name, short, slug = spec
        org, _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "province": province,
                "county": county,
                "parent": parent,
                "website": f"https://{slug}.example.ir",
                "phone": f"0543{sum(map(ord, slug)) % 10**7:07d}",
            },
        )
        return org

    def _channels(self, org: Organisation) -> None:
        rng = random.Random(org.slug)  # the same demo figures on every machine
        today = timezone.localdate()
        for kind, pattern in CHANNEL_KINDS:
            handle = pattern.format(slug=org.slug)
            channel, created = Channel.objects.get_or_create(
                kind=kind, handle=handle, defaults={"organisation": org, "title": org.short_name}
            )
            if not created:
                continue
            members = rng.randint(300, 6000)
            snapshots = []
            for weeks_ago in range(12, -1, -1):
                snapshots.append(
                    AudienceSnapshot(
                        channel=channel,
                        taken_on=today - timedelta(weeks=weeks_ago),
                        members=members,
                        source=AudienceSnapshot.Source.MANUAL,
                    )
                )
                members += rng.randint(-20, 180)
            AudienceSnapshot.objects.bulk_create(snapshots)

    def _users(self, orgs) -> list[str]:
        User = get_user_model()
        created = []
        for index, (username, first, last, role, org_slug, title) in enumerate(DEMO_USERS, start=1):
            user, is_new = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "mobile": f"0915{index:07d}",
                    # Alerts for the operators go by e-mail (the console backend prints them).
                    "email": f"{username}@hamafza.example",
                    "is_demo_account": True,
                },
            )
            if is_new:
                user.set_password(DEMO_PASSWORD)
                if role == Role.NETWORK_ADMIN:
                    user.is_staff = user.is_superuser = True  # the back office (Django admin)
                user.save()
                created.append(username)
            Membership.objects.get_or_create(
                user=user, organisation=orgs[org_slug], role=role, defaults={"title": title}
            )
        return created
