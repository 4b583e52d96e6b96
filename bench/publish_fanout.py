"""One approved post goes out to 60 organisations × 5 channels (website, Telegram, Bale,
Eitaa, Rubika: 300 deliveries) through the outbox, against local fake platforms that
enforce Telegram's documented limits (30 messages a second per bot, 20 a minute per
channel) and answer 429 beyond them.

    .venv/bin/python bench/publish_fanout.py [--orgs 60] [--bots shared|per-org]
                                              [--processes 4] [--threads 4]

Bots: with `shared` (the default, and the hard case) the network runs one bot per
platform that administers every organisation's channel, so each bot carries 60 messages
and the per-bot limit sets the pace; with `per-org` each organisation connects its own
bot (5 messages per bot: the limits hardly bind). `floor_seconds` is the time the limits
alone make necessary for the chosen mapping: for each bot, (messages − 1) / 30 s, and for
each channel, (messages − 1) × 3 s; the largest of these.

Starts what it needs: PostgreSQL (scripts/services), a fresh database, the four fake
platforms (threads in this process) and N `hamafza outbox` worker processes. The post is
approved for a moment a few seconds ahead, so that the clock starts when every delivery
falls due at once; `seconds` runs from that moment to the last delivery recorded as sent.
The last line is one JSON object: seconds, floor_seconds, http_429, duplicates, lost, …
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

from support import PG_SERVER, ROOT, VENV_BIN, bench_env, recreate_database

sys.path.insert(0, str(ROOT))
DATABASE = "hamafza_bench_fanout"
KINDS = ["website", "telegram", "bale", "eitaa", "rubika"]
MESSENGERS = KINDS[1:]
PER_BOT_PER_SECOND, PER_CHANNEL_PER_MINUTE = 30, 20
LEAD_SECONDS = 6.0  # workers start (Django imports) before the post falls due


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=60)
    parser.add_argument("--bots", choices=["shared", "per-org"], default="shared")
    parser.add_argument("--processes", type=int, default=2, help="outbox worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    args = parser.parse_args()

    subprocess.run([ROOT / "scripts" / "services", "postgres"], check=True)
    env = bench_env(
        DATABASE,
        DJANGO_SETTINGS_MODULE="hamafza.settings",
        PUBLISHING_ALLOW_LOCAL_API="1",  # the platforms are local servers here
    )
    recreate_database(PG_SERVER, DATABASE)
    subprocess.run([VENV_BIN / "hamafza", "migrate", "--noinput", "-v0"], env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from hamafza_fakes import FakeBale, FakeEitaa, FakeRubika, FakeTelegram

    fakes = {
        "telegram": FakeTelegram(enforce_limits=True),
        "bale": FakeBale(enforce_limits=True),
        "eitaa": FakeEitaa(enforce_limits=True),
        "rubika": FakeRubika(enforce_limits=True),
    }
    for fake in fakes.values():
        fake.start()
    workers = []
    try:
        due = seed(args.orgs, args.bots, {k: f.base_url for k, f in fakes.items()})
        workers = [
            subprocess.Popen(
                [
                    VENV_BIN / "hamafza",
                    "outbox",
                    "--worker-id",
                    f"bench{i}",
                    "--threads",
                    str(args.threads),
                    "--batch",
                    "2",
                    "--poll",
                    "0.5",
                ],
                env=env,
            )
            for i in range(args.processes)
        ]
        result = wait_and_measure(args, due, fakes)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
        for fake in fakes.values():
            fake.stop()
    report(args, result)


def seed(orgs: int, bots: str, base_urls: dict[str, str]):
    """60 agencies, each with its five channels connected; one post (the same text) per
    agency, approved for LEAD_SECONDS from now. Returns that moment."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from hamafza.network.models import Channel, Membership, Organisation, Province, Role
    from hamafza.publishing import services

    province = Province.objects.create(name="سیستان و بلوچستان", slug="sb")
    hub = Organisation.objects.create(name="اداره کل", slug="hub", kind="hub", province=province)
    admin = get_user_model().objects.create_user("bench-admin", password="x" * 20)
    Membership.objects.create(user=admin, organisation=hub, role=Role.NETWORK_ADMIN)
    posts = []
    for i in range(orgs):
        org = Organisation.objects.create(
            name=f"دستگاه {i}", slug=f"org{i}", kind="agency", province=province, parent=hub
        )
        channels = []
        for kind in KINDS:
            channel = Channel.objects.create(organisation=org, kind=kind, handle=f"@org{i}_{kind}")
            channels.append(channel)
            if kind in MESSENGERS:
                owner = "network" if bots == "shared" else f"org{i}"
                services.channel_connect(
                    actor=admin,
                    channel=channel,
                    token=f"{owner}:{kind}-bot",
                    chat_id=channel.handle,
                    base_url=base_urls[kind],
                )
        post = services.post_create(
            actor=admin,
            organisation=org,
            title="آغاز ثبت‌نام بیمه روستاییان و عشایر",
            lead="ثبت‌نام از امروز در همه دفاتر آغاز شد.",
            body="<p>متن کامل خبر.</p>",
            channels=channels,
        )
        services.post_submit(actor=admin, post=post)
        posts.append(post)
    due = timezone.now() + timedelta(seconds=LEAD_SECONDS)
    for post in posts:
        post.publish_at = due
        post.save(update_fields=["publish_at"])
        services.post_approve(actor=admin, post=post)
    return due


def wait_and_measure(args, due, fakes) -> dict:
    from django.db.models import Max
    from django.utils import timezone

    from hamafza.publishing.models import Delivery, DeliveryState

    total = args.orgs * len(KINDS)
    deadline = time.monotonic() + LEAD_SECONDS + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if not Delivery.objects.filter(state__in=["pending", "retry", "leased"]).exists():
            break
    time.sleep(0.5)  # let a stray duplicate (if any) reach the fakes before counting
    states = Counter(Delivery.objects.values_list("state", flat=True))
    last = Delivery.objects.filter(state=DeliveryState.SENT).aggregate(m=Max("sent_at"))["m"]
    posted = Counter()
    http_429 = 0
    for kind, fake in fakes.items():
        for call in fake.calls:
            if call.status == 429:
                http_429 += 1
            elif call.status == 200 and fake.counted(call):
                posted[(kind, str(call.params.get("chat_id", "")))] += 1
    # When each platform got its first and last message, counted from the due moment.
    mono_due = time.monotonic() - (timezone.now() - due).total_seconds()
    spans = {}
    for kind, fake in fakes.items():
        times = [c.at - mono_due for c in fake.calls if c.status == 200 and fake.counted(c)]
        if times:
            spans[kind] = [round(min(times), 3), round(max(times), 3)]
    duplicates = sum(n - 1 for n in posted.values() if n > 1)
    expected = {(kind, f"@org{i}_{kind}") for i in range(args.orgs) for kind in MESSENGERS}
    lost_remote = len(expected - set(posted))
    lost = max(total - states.get("sent", 0), lost_remote)
    per_bot = args.orgs if args.bots == "shared" else 1
    floor = max((per_bot - 1) / PER_BOT_PER_SECOND, 0.0)  # 1 message per channel: no wait
    return {
        "seconds": round((last - due).total_seconds(), 3) if last else None,
        "floor_seconds": round(floor, 3),
        "http_429": http_429,
        "duplicates": duplicates,
        "lost": lost,
        "deliveries": total,
        "states": dict(states),
        "messages_per_bot": per_bot,
        "platform_first_last_seconds": spans,
    }


def report(args, result: dict) -> None:
    mapping = (
        "one bot per platform shared by all organisations (60 messages per bot)"
        if args.bots == "shared"
        else "each organisation its own bot per platform (1 message per bot per platform)"
    )
    ratio = result["seconds"] / result["floor_seconds"] if result["floor_seconds"] else None
    result.update(
        bots=args.bots,
        orgs=args.orgs,
        processes=args.processes,
        threads=args.threads,
        ratio_to_floor=round(ratio, 3) if ratio else None,
    )
    print(
        f"deliveries: {result['deliveries']} ({args.orgs} organisations × {len(KINDS)} channels:"
        f" {', '.join(KINDS)}; website in-process)"
    )
    print(f"bots: {mapping}")
    print(f"workers: {args.processes} processes × {args.threads} threads, PostgreSQL")
    print(
        f"delivered all in {result['seconds']} s; rate-limit floor {result['floor_seconds']} s"
        f" (ratio {result['ratio_to_floor']})"
    )
    print(
        f"HTTP 429: {result['http_429']}, duplicates: {result['duplicates']}, lost: {result['lost']}"
    )
    print(f"states: {result['states']}")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
